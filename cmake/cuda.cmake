# cuda.cmake - the CUDA kernels, compiled ahead of time to fatbins and embedded.
#
# With a CUDA toolkit: each kernels/cuda/<name>.cu becomes a fatbin holding SASS for every
# target below plus compute_120 PTX (JIT-compiled by newer drivers); wgmma.cu is Hopper
# only (sm_90a, no PTX fallback).  Without one: the same tables, empty, so the program
# builds and reports "built without CUDA kernels".
#
# Sets TPP_CUDA_SOURCES (add to the library), TPP_CUDA_FATBINS_BUILT and
# TPP_CUDA_FATBIN_<module> and TPP_CUDA_FATBIN_<MODULE> (paths, for the SASS tests; empty
# for a module not built), e.g. TPP_CUDA_FATBIN_SIMT, _MMA, _WGMMA, _BANDWIDTH.
set(TPP_CUDA_ARCHS 75 80 86 89 90 100 110 120 CACHE STRING "SASS targets of the CUDA kernels")
set(TPP_CUDA_MODULES simt mma wgmma bandwidth) # enum tpp_cuda_module order
set(TPP_CUDA_FILE_simt peak_simt.cu)
set(TPP_CUDA_FILE_mma peak_mma.cu)
set(TPP_CUDA_FILE_wgmma wgmma.cu)
set(TPP_CUDA_FILE_bandwidth bandwidth.cu)

set(TPP_CUDA_FATBINS_BUILT OFF)
set(entries "")
set(fatbins "")
set(index 0)
foreach(mod IN LISTS TPP_CUDA_MODULES)
  set(src ${CMAKE_SOURCE_DIR}/kernels/cuda/${TPP_CUDA_FILE_${mod}})
  string(TOUPPER ${mod} MOD)
  set(TPP_CUDA_FATBIN_${mod} "")
  set(TPP_CUDA_FATBIN_${MOD} "")
  if(TPP_HAVE_CUDA_TOOLKIT AND EXISTS ${src})
    set(out ${CMAKE_BINARY_DIR}/cuda/${mod}.fatbin)
    set(gencodes "")
    if(mod STREQUAL "wgmma")
      list(APPEND gencodes -gencode=arch=compute_90a,code=sm_90a)
    else()
      foreach(arch IN LISTS TPP_CUDA_ARCHS)
        list(APPEND gencodes -gencode=arch=compute_${arch},code=sm_${arch})
      endforeach()
      list(APPEND gencodes -gencode=arch=compute_120,code=compute_120)
    endif()
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/cuda
      COMMAND ${CMAKE_CUDA_COMPILER} -fatbin -O3 -lineinfo ${gencodes} -o ${out} ${src}
      DEPENDS ${src}
      COMMENT "nvcc: kernels/cuda/${TPP_CUDA_FILE_${mod}} -> ${mod}.fatbin"
      VERBATIM)
    list(APPEND entries "${index}=${out}")
    list(APPEND fatbins ${out})
    set(TPP_CUDA_FATBIN_${mod} ${out})
    set(TPP_CUDA_FATBIN_${MOD} ${out})
    set(TPP_CUDA_FATBINS_BUILT ON)
  else()
    list(APPEND entries "${index}=")
  endif()
  math(EXPR index "${index} + 1")
endforeach()

set(TPP_CUDA_FATBINS_C ${CMAKE_BINARY_DIR}/generated/cuda_fatbins.c)
string(REPLACE ";" "|" entries_arg "${entries}")
set(TPP_CUDA_TOOLKIT_VERSION "")
if(CMAKE_CUDA_COMPILER_VERSION)
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" TPP_CUDA_TOOLKIT_VERSION "${CMAKE_CUDA_COMPILER_VERSION}")
endif()
set(entries12_arg "0=|1=|2=|3=")
set(TPP_CUDA12_VERSION "")
add_custom_command(
  OUTPUT ${TPP_CUDA_FATBINS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TPP_CUDA_FATBINS_C} -DMODULES=${entries_arg}
          -DMODULES12=${entries12_arg} -DTOOLKIT13=${TPP_CUDA_TOOLKIT_VERSION}
          -DTOOLKIT12=${TPP_CUDA12_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_fatbins.cmake
  DEPENDS ${fatbins} ${CMAKE_SOURCE_DIR}/cmake/embed_fatbins.cmake
  COMMENT "Embedding CUDA fatbins"
  VERBATIM)

set(TPP_CUDA_SOURCES ${TPP_CUDA_FATBINS_C} ${CMAKE_SOURCE_DIR}/harness/cuda/cuda_kernels.c
    ${CMAKE_SOURCE_DIR}/harness/cuda/cuda_driver.c ${CMAKE_SOURCE_DIR}/harness/cuda/backend_cuda.c)
list(APPEND TPP_CUDA_SOURCES ${CMAKE_SOURCE_DIR}/harness/cuda/wgmma_kernels.c)
