# tests.cmake - the HIP backend's tests, included from tests/CMakeLists.txt.
tpp_add_test(test_hip_ref) # host checks, register layouts, chains, rates, code objects
target_include_directories(test_hip_ref PRIVATE ${CMAKE_SOURCE_DIR}/harness/backends)

# The loaders, against stand-ins for ROCm's libraries in three ROCM_PATH directories:
# a = ROCm 6 runtime + amd-smi, b = ROCm 5 runtime + rocm-smi .so.5, c = a runtime that
# lacks a function + rocm-smi .so.7.
tpp_add_test(test_hip_runtime)
target_include_directories(test_hip_runtime PRIVATE ${CMAKE_SOURCE_DIR}/harness/backends)
target_compile_definitions(test_hip_runtime PRIVATE TPP_HIP_FAKE_DIR="${CMAKE_CURRENT_BINARY_DIR}/fakerocm")
foreach(spec a:FAKE_HIP_R0600:amdhip64:.so.6 a:FAKE_AMDSMI:amd_smi:.so b:FAKE_HIP_R0000:amdhip64:.so.5
             b:FAKE_RSMI5:rocm_smi64:.so.5 c:FAKE_HIP_OLD:amdhip64:.so.6 c:FAKE_RSMI7:rocm_smi64:.so.7)
  string(REPLACE ":" ";" spec "${spec}")
  list(GET spec 0 dir)
  list(GET spec 1 def)
  list(GET spec 2 name)
  list(GET spec 3 suffix)
  add_library(test_hip_${def} SHARED ${CMAKE_CURRENT_LIST_DIR}/test_hip_fake_rocm.c)
  target_compile_definitions(test_hip_${def} PRIVATE ${def})
  target_compile_options(test_hip_${def} PRIVATE ${TPP_WARNINGS})
  set_target_properties(test_hip_${def} PROPERTIES OUTPUT_NAME ${name} SUFFIX ${suffix}
                        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/fakerocm_${dir}/lib)
  add_dependencies(test_hip_runtime test_hip_${def})
endforeach()

# The embedded code objects' instructions, loops, registers and kernel arguments.
if(TPP_HIP_KERNELS_BUILT)
  add_test(NAME test_hip_isa COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_hip_isa.sh ${TPP_HIP_CODE_OBJECTS})
  set_tests_properties(test_hip_isa PROPERTIES SKIP_RETURN_CODE 77)
endif()

# The simulated HIP runtime and amd-smi (sim/, on the engine the simulated CUDA driver uses,
# ../gpu/sim): libraries named as the real ones, built here only, never installed or linked
# into tppbench.  test_hipsim runs tppbench with their directory first on LD_LIBRARY_PATH;
# lib-nosmi/ holds the runtime alone (no amd-smi).
set(TPP_HIPSIM_DIR ${CMAKE_CURRENT_BINARY_DIR}/hipsim/lib)
set(hip_host ${CMAKE_SOURCE_DIR}/harness/backends/hip)
# The embedded code objects' table is generated in the top directory, for tppcore: known here
# as generated, and built before this library by depending on tppcore.
set_source_files_properties(${TPP_HIP_CODE_OBJECTS_C} PROPERTIES GENERATED TRUE)
tpp_add_sim_library(tppsim_hip libamdhip64.so.6 ${TPP_HIPSIM_DIR} ${CMAKE_CURRENT_LIST_DIR}/sim/hipsim.c
                    ${CMAKE_CURRENT_LIST_DIR}/../gpu/sim/gpusim.c ${hip_host}/hip_kernels.c
                    ${hip_host}/hip_matrix.c ${TPP_HIP_CODE_OBJECTS_C}
                    ${CMAKE_SOURCE_DIR}/harness/peakref.c)
add_dependencies(tppsim_hip tppcore)
tpp_add_sim_library(tppsim_amdsmi libamd_smi.so ${TPP_HIPSIM_DIR} ${CMAKE_CURRENT_LIST_DIR}/sim/amdsmisim.c)
add_custom_command(TARGET tppsim_hip POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/hipsim/lib-nosmi
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:tppsim_hip> ${CMAKE_CURRENT_BINARY_DIR}/hipsim/lib-nosmi/)
tpp_add_test(test_hipsim)
add_dependencies(test_hipsim tppsim_hip tppsim_amdsmi tppbench)
if(TPP_HIP_KERNELS_BUILT)
  set(have_hip_kernels 1)
else()
  set(have_hip_kernels 0)
endif()
target_compile_definitions(test_hipsim PRIVATE TPP_HIPSIM_DIR="${TPP_HIPSIM_DIR}"
  TPP_HIPSIM_NOSMI_DIR="${CMAKE_CURRENT_BINARY_DIR}/hipsim/lib-nosmi"
  TPP_TEST_HAVE_HIP_KERNELS=${have_hip_kernels})
