# backend.cmake - the HIP backend's build rule (included from the top-level CMakeLists.txt,
# which lists the backends in TPP_BACKENDS): its host code, and the AMD kernels compiled
# ahead of time to code objects and embedded.  The HIP runtime and amd-smi / rocm-smi are
# loaded at run time: nothing of ROCm is needed to build.
#
# With clang-19 (Debian's clang-19; no ROCm needed): each kernels/hip/ source becomes one
# code object per target, a plain ELF (HSA code object v5) that hipModuleLoadData loads:
#   module     gfx90a, gfx942           gfx1100, gfx1201
#   vector     peak_vector.hip          peak_vector.hip
#   matrix     peak_mfma.hip            peak_wmma.hip
#   bandwidth  bandwidth.hip            bandwidth.hip
# Without it: the same tables, empty, so the program builds and the HIP code reports
# "built without HIP kernels".  gfx950 (MI350X/MI355X) needs LLVM >= 20 (docs/hip.md).
#
# Appends to TPP_BACKEND_SOURCES and TPP_BACKEND_SUMMARY; sets TPP_HIP_KERNELS_BUILT and
# TPP_HIP_CODE_OBJECTS (module:arch=path entries, for the ISA test).

set(TPP_HIP_ARCHS gfx90a gfx942 gfx1100 gfx1201) # enum tpp_hip_arch order
set(TPP_HIP_MODULES vector matrix bandwidth)     # enum tpp_hip_module order

include(${CMAKE_SOURCE_DIR}/harness/backends/gpu/gpu.cmake)
option(TPP_WITH_HIP_KERNELS "Build the AMD (HIP) kernels when clang-19 is found" ON)
set(TPP_HIP_KERNELS_BUILT OFF)
set(TPP_HIP_CODE_OBJECTS "")
if(TPP_WITH_HIP_KERNELS)
  find_program(TPP_HIP_CLANG NAMES clang-19 DOC "clang that compiles the AMD kernels")
endif()

set(hip_dir ${CMAKE_SOURCE_DIR}/kernels/hip)
set(hip_headers ${hip_dir}/tpp_hip.h ${hip_dir}/peak_matrix.h)
set(hip_flags -x hip --cuda-device-only -nogpuinc -nogpulib --no-gpu-bundle-output
    -mcode-object-version=5 -O3 -ffp-contract=off -Wall -Wextra)
if(TPP_WERROR)
  list(APPEND hip_flags -Werror)
endif()
set(entries "")
set(objects "")
if(TPP_WITH_HIP_KERNELS AND TPP_HIP_CLANG)
  set(mi 0)
  foreach(mod IN LISTS TPP_HIP_MODULES)
    set(ai 0)
    foreach(arch IN LISTS TPP_HIP_ARCHS)
      if(mod STREQUAL "vector")
        set(src peak_vector.hip)
      elseif(mod STREQUAL "bandwidth")
        set(src bandwidth.hip)
      elseif(arch MATCHES "^gfx9")
        set(src peak_mfma.hip)
      else()
        set(src peak_wmma.hip)
      endif()
      set(out ${CMAKE_BINARY_DIR}/hip/${mod}-${arch}.hsaco)
      add_custom_command(
        OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/hip
        COMMAND ${TPP_HIP_CLANG} ${hip_flags} --offload-arch=${arch} -c ${hip_dir}/${src} -o ${out}
        DEPENDS ${hip_dir}/${src} ${hip_headers}
        COMMENT "clang-19: kernels/hip/${src} -> ${mod}-${arch}.hsaco"
        VERBATIM)
      list(APPEND entries "${mi}:${ai}=${out}")
      list(APPEND objects ${out})
      list(APPEND TPP_HIP_CODE_OBJECTS "${mod}:${arch}=${out}")
      math(EXPR ai "${ai} + 1")
    endforeach()
    math(EXPR mi "${mi} + 1")
  endforeach()
  set(TPP_HIP_KERNELS_BUILT ON)
endif()

set(TPP_HIP_CODE_OBJECTS_C ${CMAKE_BINARY_DIR}/generated/hip_code_objects.c)
string(REPLACE ";" "|" entries_arg "${entries}")
add_custom_command(
  OUTPUT ${TPP_HIP_CODE_OBJECTS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TPP_HIP_CODE_OBJECTS_C} -DMODE=table -DHEADER=hip/hip_kernels.h
          -DNAME=tpp_hip_code_objects -DSIZES=tpp_hip_code_object_sizes -DROWS=3 -DCOLS=4
          -DALIGN=16 -DENTRIES=${entries_arg} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${objects} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding HIP code objects"
  VERBATIM)

set(hip_host ${CMAKE_SOURCE_DIR}/harness/backends/hip)
list(APPEND TPP_BACKEND_SOURCES ${TPP_HIP_CODE_OBJECTS_C} ${hip_host}/hip_kernels.c
     ${hip_host}/hip_matrix.c ${hip_host}/hip_runtime.c ${hip_host}/hip_smi.c
     ${hip_host}/backend_hip.c)
if(TPP_HIP_KERNELS_BUILT)
  list(APPEND TPP_BACKEND_SUMMARY "HIP backend    : ON (runtime loaded at run time); kernels: ${TPP_HIP_CLANG}: ${TPP_HIP_ARCHS}")
else()
  list(APPEND TPP_BACKEND_SUMMARY "HIP backend    : ON; kernels: none (clang-19 not found or TPP_WITH_HIP_KERNELS=OFF)")
endif()
