# tests.cmake - the CUDA backend's tests, included from tests/CMakeLists.txt.
set(cuda_tests ${CMAKE_CURRENT_LIST_DIR})
tpp_add_test(test_cuda_ref)   # every host check against independently built outputs
tpp_add_test(test_cuda_chains) # every proof-of-work chain keeps moving for the real counts
foreach(t test_cuda_ref test_cuda_chains)
  target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/harness/backends)
endforeach()

# Instructions per loop trip in the SASS of the embedded fatbins (needs cuobjdump).
if(TPP_CUDA_FATBINS_BUILT)
  add_test(NAME test_cuda_sass
           COMMAND bash ${cuda_tests}/test_cuda_sass.sh ${TPP_CUDA_FATBIN_simt}
                   ${TPP_CUDA_FATBIN_mma} ${TPP_CUDA_FATBIN_bandwidth} ${TPP_CUDA_FATBIN_wgmma})
  set_tests_properties(test_cuda_sass PROPERTIES SKIP_RETURN_CODE 77)
endif()
# The same of the CUDA 12 cubins NVRTC built (one file per target; CUDA 13's cuobjdump reads
# them), and their NVRTC logs free of ptxas advisory C7519.
if(TPP_CUDA12_BUILT_SM)
  set(d ${TPP_CUDA12_CUBIN_DIR})
  list(JOIN TPP_CUDA12_BUILT_SM " " archs12)
  add_test(NAME test_cuda12_sass
           COMMAND bash ${cuda_tests}/test_cuda_sass.sh ${d}/simt.sm_@ARCH@.cubin
                   ${d}/mma.sm_@ARCH@.cubin ${d}/bandwidth.sm_@ARCH@.cubin ${d}/wgmma.sm_@ARCH@.cubin)
  set_tests_properties(test_cuda12_sass PROPERTIES SKIP_RETURN_CODE 77
                       ENVIRONMENT "TPP_SASS_ARCHS=${archs12}")
endif()

# The simulated CUDA driver and NVML (sim/): shared libraries named as the real ones, built
# here only, never installed or linked into tppbench.  test_cudasim runs tppbench with their
# directory first on LD_LIBRARY_PATH; lib-nonvml/ holds the driver alone (NVML missing).
set(TPP_CUDASIM_DIR ${CMAKE_CURRENT_BINARY_DIR}/cudasim/lib)
tpp_add_sim_library(tppsim_cuda libcuda.so.1 ${TPP_CUDASIM_DIR} ${cuda_tests}/sim/cudasim.c
                    ${CMAKE_CURRENT_LIST_DIR}/../gpu/sim/gpusim.c
                    ${CMAKE_SOURCE_DIR}/harness/backends/cuda/cuda_kernels.c
                    ${CMAKE_SOURCE_DIR}/harness/backends/cuda/wgmma_kernels.c
                    ${CMAKE_SOURCE_DIR}/harness/peakref.c)
tpp_add_sim_library(tppsim_nvml libnvidia-ml.so.1 ${TPP_CUDASIM_DIR} ${cuda_tests}/sim/nvmlsim.c)
add_custom_command(TARGET tppsim_cuda POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/cudasim/lib-nonvml
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:tppsim_cuda> ${CMAKE_CURRENT_BINARY_DIR}/cudasim/lib-nonvml/)
tpp_add_test(test_cudasim)
add_dependencies(test_cudasim tppsim_cuda tppsim_nvml tppbench)
set(have_cuda12 0)
if(TPP_CUDA12_BUILT_SM)
  set(have_cuda12 1)
endif()
if(TPP_CUDA_FATBINS_BUILT)
  set(have_kernels 1)
else()
  set(have_kernels 0)
endif()
target_compile_definitions(test_cudasim PRIVATE TPP_CUDASIM_DIR="${TPP_CUDASIM_DIR}"
  TPP_CUDASIM_NONVML_DIR="${CMAKE_CURRENT_BINARY_DIR}/cudasim/lib-nonvml"
  TPP_TEST_HAVE_CUDA_KERNELS=${have_kernels} TPP_TEST_CUDA13="${TPP_CUDA_TOOLKIT_VERSION}"
  TPP_TEST_CUDA12="${TPP_CUDA12_VERSION}" TPP_TEST_HAVE_CUDA12=${have_cuda12})
