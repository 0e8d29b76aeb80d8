# backend.cmake - the CUDA backend's build rule (included from the top-level CMakeLists.txt,
# which lists the backends in TPP_BACKENDS).
#
# The host code needs nothing at build time: the driver and NVML are loaded at run time.
# The kernels, kernels/cuda/*.cu, are compiled ahead of time to fatbins and embedded: with a
# CUDA toolkit each becomes a fatbin holding SASS for every target of TPP_CUDA_ARCHS plus
# compute_120 PTX (JIT-compiled by newer drivers); wgmma.cu is Hopper only (sm_90a, no PTX
# fallback).  Without a toolkit (or with TPP_WITH_CUDA=OFF): the same tables, empty, so the
# program builds and reports "built without CUDA kernels".
#
# Appends to TPP_BACKEND_SOURCES and TPP_BACKEND_SUMMARY; sets TPP_BUILD_CUDA_KERNELS (for
# `tppbench --version`), TPP_CUDA_FATBINS_BUILT and TPP_CUDA_FATBIN_<module> (paths, for the
# SASS test; empty for a module not built): TPP_CUDA_FATBIN_simt, _mma, _wgmma, _bandwidth.
include(${CMAKE_SOURCE_DIR}/harness/backends/gpu/gpu.cmake)
option(TPP_WITH_CUDA "Build the CUDA kernels when a CUDA toolkit is found" ON)
set(TPP_CUDA_ARCHS 75 80 86 89 90 100 110 120 CACHE STRING "SASS targets of the CUDA kernels")
set(TPP_CUDA_MODULES simt mma wgmma bandwidth) # enum tpp_cuda_module order
set(TPP_CUDA_FILE_simt peak_simt.cu)
set(TPP_CUDA_FILE_mma peak_mma.cu)
set(TPP_CUDA_FILE_wgmma wgmma.cu)
set(TPP_CUDA_FILE_bandwidth bandwidth.cu)

set(TPP_HAVE_CUDA_TOOLKIT OFF)
if(TPP_WITH_CUDA)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(TPP_HAVE_CUDA_TOOLKIT ON)
  endif()
endif()

set(cuda_dir ${CMAKE_SOURCE_DIR}/harness/backends/cuda)
set(TPP_CUDA_FATBINS_BUILT OFF)
set(entries "")
set(fatbins "")
set(index 0)
foreach(mod IN LISTS TPP_CUDA_MODULES)
  set(src ${CMAKE_SOURCE_DIR}/kernels/cuda/${TPP_CUDA_FILE_${mod}})
  set(TPP_CUDA_FATBIN_${mod} "")
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
    # Row 0: images of this toolkit (CUDA 13, drivers R580+); row 1, CUDA 12 images for older
    # drivers, stays empty until a second toolkit is wired in.
    list(APPEND entries "0:${index}=${out}")
    list(APPEND fatbins ${out})
    set(TPP_CUDA_FATBIN_${mod} ${out})
    set(TPP_CUDA_FATBINS_BUILT ON)
  endif()
  math(EXPR index "${index} + 1")
endforeach()

set(TPP_CUDA_FATBINS_C ${CMAKE_BINARY_DIR}/generated/cuda_fatbins.c)
string(REPLACE ";" "|" entries_arg "${entries}")
add_custom_command(
  OUTPUT ${TPP_CUDA_FATBINS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TPP_CUDA_FATBINS_C} -DMODE=table -DHEADER=cuda/cuda_kernels.h
          -DNAME=tpp_cuda_fatbins -DSIZES=tpp_cuda_fatbin_sizes -DROWS=2 -DCOLS=4 -DALIGN=8
          -DENTRIES=${entries_arg} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${fatbins} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding CUDA fatbins"
  VERBATIM)

# Which toolkit built each image row, for the messages about drivers too old for it.
set(TPP_CUDA_TOOLKIT_VERSION "")
if(CMAKE_CUDA_COMPILER_VERSION)
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" TPP_CUDA_TOOLKIT_VERSION "${CMAKE_CUDA_COMPILER_VERSION}")
endif()
set_source_files_properties(${cuda_dir}/backend_cuda.c PROPERTIES COMPILE_DEFINITIONS
  "TPP_CUDA_TOOLKIT13=\"${TPP_CUDA_TOOLKIT_VERSION}\";TPP_CUDA_TOOLKIT12=\"\"")

list(APPEND TPP_BACKEND_SOURCES ${TPP_CUDA_FATBINS_C} ${cuda_dir}/cuda_kernels.c
     ${cuda_dir}/wgmma_kernels.c ${cuda_dir}/cuda_driver.c ${cuda_dir}/backend_cuda.c)

if(TPP_CUDA_FATBINS_BUILT)
  list(JOIN TPP_CUDA_ARCHS " sm_" archs)
  set(TPP_BUILD_CUDA_KERNELS "embedded (SASS sm_${archs}, PTX compute_120; wgmma sm_90a)")
else()
  set(TPP_BUILD_CUDA_KERNELS "none (built without a CUDA toolkit or with TPP_WITH_CUDA=OFF)")
endif()
list(APPEND TPP_BACKEND_SUMMARY
     "CUDA backend   : ON (driver loaded at run time); kernels: ${TPP_CUDA_FATBINS_BUILT} (toolkit: ${TPP_HAVE_CUDA_TOOLKIT}, SASS for ${TPP_CUDA_ARCHS})")
