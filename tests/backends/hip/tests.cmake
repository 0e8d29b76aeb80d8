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
