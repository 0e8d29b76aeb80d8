# gpu.cmake - the GPU layer the CUDA and HIP backends share (gpu.h: launches, events,
# modules, resets, workloads, telemetry sampling; dlbind.h: loading vendor libraries at run
# time).  Included by each of those backends' backend.cmake; added to the library once.
include_guard(GLOBAL)
list(APPEND TPP_BACKEND_SOURCES ${CMAKE_SOURCE_DIR}/harness/backends/gpu/gpu.c
     ${CMAKE_SOURCE_DIR}/harness/backends/gpu/dlbind.c)
