# backend.cmake - the OpenCL backend's build rule (included from the top-level CMakeLists.txt,
# which lists the backends in TPP_BACKENDS).  It links the OpenCL ICD loader (Debian's
# ocl-icd); the kernels, kernels/opencl/*.cl, are embedded as source text and compiled by
# the driver when a row is prepared.
#
# Appends to TPP_BACKEND_SOURCES, TPP_BACKEND_LIBS, TPP_BACKEND_DEFINITIONS and
# TPP_BACKEND_SUMMARY.
find_package(OpenCL REQUIRED)
set(TPP_CL_KERNELS ${CMAKE_SOURCE_DIR}/kernels/opencl/peak.cl
                   ${CMAKE_SOURCE_DIR}/kernels/opencl/bandwidth.cl)
set(TPP_CL_KERNELS_C ${CMAKE_BINARY_DIR}/generated/kernels_opencl.c)
string(REPLACE ";" "|" cl_kernels_arg "${TPP_CL_KERNELS}")
add_custom_command(
  OUTPUT ${TPP_CL_KERNELS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TPP_CL_KERNELS_C} -DMODE=text -DPREFIX=tpp_cl_src_
          -DINPUTS=${cl_kernels_arg} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${TPP_CL_KERNELS} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding OpenCL kernels"
  VERBATIM)

set(cl_dir ${CMAKE_SOURCE_DIR}/harness/backends/opencl)
list(APPEND TPP_BACKEND_SOURCES ${TPP_CL_KERNELS_C} ${cl_dir}/backend_opencl.c ${cl_dir}/cl_peak.c
     ${cl_dir}/cl_bandwidth.c)
list(APPEND TPP_BACKEND_LIBS OpenCL::OpenCL)
list(APPEND TPP_BACKEND_DEFINITIONS CL_TARGET_OPENCL_VERSION=300)
list(APPEND TPP_BACKEND_SUMMARY "OpenCL backend : ON (${OpenCL_LIBRARIES})")
