# tests.cmake - the OpenCL backend's tests, included from tests/CMakeLists.txt.
tpp_add_test(test_opencl)        # a short real run on the first OpenCL device (PoCL in CI)
tpp_add_test(test_opencl_chains) # every chain of peak.cl keeps moving for the real counts
foreach(t test_opencl test_opencl_chains)
  target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/harness/backends)
  target_compile_definitions(${t} PRIVATE CL_TARGET_OPENCL_VERSION=300)
endforeach()
tpp_add_test(test_node)          # run --device all on two PoCL devices, SIGINT, --out, progress
add_dependencies(test_node tppbench)
