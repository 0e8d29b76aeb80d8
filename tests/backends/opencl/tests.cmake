# tests.cmake - the OpenCL backend's tests, included from tests/CMakeLists.txt.
tpp_add_test(test_opencl) # a short real run on the first OpenCL device (PoCL in CI)
target_include_directories(test_opencl PRIVATE ${CMAKE_SOURCE_DIR}/harness/backends)
