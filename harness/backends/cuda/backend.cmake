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
      # nvcc's and ptxas's messages are kept in ${out}.log (and shown): test_cuda_sass.sh
      # fails on advisories that mean a slower loop than the kernel was written for (C7519).
      COMMAND sh -c "\"$0\" \"$@\" >\"${out}.log\" 2>&1; s=$?; cat \"${out}.log\"; exit $s"
              ${CMAKE_CUDA_COMPILER} -fatbin -O3 -lineinfo ${gencodes} -o ${out} ${src}
      DEPENDS ${src}
      COMMENT "nvcc: kernels/cuda/${TPP_CUDA_FILE_${mod}} -> ${mod}.fatbin"
      VERBATIM)
    # Row 0: images of this toolkit (CUDA 13, drivers R580+); rows 1..: the CUDA 12 cubins.
    list(APPEND entries "0:${index}=${out}")
    list(APPEND fatbins ${out})
    set(TPP_CUDA_FATBIN_${mod} ${out})
    set(TPP_CUDA_FATBINS_BUILT ON)
  endif()
  math(EXPR index "${index} + 1")
endforeach()

# The CUDA 12 images: the same kernels compiled by NVRTC 12 (PyPI: nvidia-cuda-nvrtc-cu12,
# with cuda_fp16.h / cuda_bf16.h from nvidia-cuda-runtime-cu12; scripts/install-deps.sh puts
# both in /opt/tppbench/cuda12) into one cubin per target, rows 1.. of the table, for the
# drivers of CUDA 12.x (R525-R575) that cannot load the CUDA 13 fatbins.  The targets are
# TPP_CUDA12_SM of cuda_kernels.h (the table's row order); sm_100 and sm_120 need NVRTC 12.8+.
# tppbench-nvrtc (nvrtc_tool.c) dlopens the library: nothing links against it.
set(TPP_CUDA12_DIR /opt/tppbench/cuda12 CACHE PATH
    "Where the NVRTC 12 wheels are installed (pip --target); the CUDA 12 images need them")
set(cuda12_hints ${TPP_CUDA12_DIR})
find_program(TPP_PYTHON3_FOR_CUDA12 python3)
if(TPP_PYTHON3_FOR_CUDA12)
  execute_process(COMMAND ${TPP_PYTHON3_FOR_CUDA12} -c
                          "import sysconfig; print(sysconfig.get_paths()['purelib'])"
                  OUTPUT_VARIABLE purelib OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  list(APPEND cuda12_hints ${purelib})
endif()
set(TPP_CUDA12_VERSION "")
set(TPP_CUDA12_BUILT_SM "")
set(TPP_CUDA12_CUBIN_DIR ${CMAKE_BINARY_DIR}/cuda12)
if(TPP_WITH_CUDA)
  find_file(TPP_NVRTC12_LIB libnvrtc.so.12 PATHS ${cuda12_hints} PATH_SUFFIXES nvidia/cuda_nvrtc/lib
            NO_DEFAULT_PATH)
  find_path(TPP_CUDA12_INCLUDE cuda_fp16.h PATHS ${cuda12_hints}
            PATH_SUFFIXES nvidia/cuda_runtime/include NO_DEFAULT_PATH)
  if(TPP_NVRTC12_LIB)
    get_filename_component(nvrtc_dir ${TPP_NVRTC12_LIB} DIRECTORY)
    file(GLOB builtins ${nvrtc_dir}/libnvrtc-builtins.so.12.*)
    foreach(b IN LISTS builtins)
      if(b MATCHES "libnvrtc-builtins\\.so\\.(12\\.[0-9]+)$")
        set(TPP_CUDA12_VERSION ${CMAKE_MATCH_1})
      endif()
    endforeach()
  endif()
endif()
file(STRINGS ${cuda_dir}/cuda_kernels.h sm_line REGEX "^#define TPP_CUDA12_SM ")
string(REGEX REPLACE "^#define TPP_CUDA12_SM " "" sm_line "${sm_line}")
string(REGEX MATCHALL "[0-9]+" cuda12_sm "${sm_line}")
if(NOT cuda12_sm)
  message(FATAL_ERROR "cuda_kernels.h: no \"#define TPP_CUDA12_SM 75, 80, ...\" line on one line")
endif()
if(TPP_CUDA12_VERSION AND TPP_CUDA12_INCLUDE)
  add_executable(tppbench-nvrtc ${cuda_dir}/nvrtc_tool.c)
  # Without the sanitizers: under ThreadSanitizer NVRTC fails its builtin operations
  # (NVRTC_ERROR_BUILTIN_OPERATION_FAILURE), and the tool only hands files to the library.
  target_compile_options(tppbench-nvrtc PRIVATE ${TPP_WARNINGS})
  target_link_libraries(tppbench-nvrtc PRIVATE ${CMAKE_DL_LIBS})
  set(row 1)
  foreach(sm IN LISTS cuda12_sm)
    if(sm GREATER_EQUAL 100 AND TPP_CUDA12_VERSION VERSION_LESS 12.8)
      math(EXPR row "${row} + 1")
      continue()
    endif()
    list(APPEND TPP_CUDA12_BUILT_SM ${sm})
    set(index 0)
    foreach(mod IN LISTS TPP_CUDA_MODULES)
      set(target sm_${sm})
      if(mod STREQUAL "wgmma")
        set(target sm_90a)
      endif()
      if(NOT mod STREQUAL "wgmma" OR sm EQUAL 90)
        set(src ${CMAKE_SOURCE_DIR}/kernels/cuda/${TPP_CUDA_FILE_${mod}})
        set(out ${TPP_CUDA12_CUBIN_DIR}/${mod}.${target}.cubin)
        add_custom_command(
          OUTPUT ${out}
          COMMAND ${CMAKE_COMMAND} -E make_directory ${TPP_CUDA12_CUBIN_DIR}
          COMMAND tppbench-nvrtc ${TPP_NVRTC12_LIB} ${src} ${target} ${out} ${TPP_CUDA12_VERSION}
                  -I ${TPP_CUDA12_INCLUDE}
          DEPENDS ${src} tppbench-nvrtc
          COMMENT "NVRTC ${TPP_CUDA12_VERSION}: kernels/cuda/${TPP_CUDA_FILE_${mod}} -> ${mod}.${target}.cubin"
          VERBATIM)
        list(APPEND entries "${row}:${index}=${out}")
        list(APPEND fatbins ${out})
      endif()
      math(EXPR index "${index} + 1")
    endforeach()
    math(EXPR row "${row} + 1")
  endforeach()
endif()
list(LENGTH cuda12_sm n_cuda12)
math(EXPR image_rows "${n_cuda12} + 1")

set(TPP_CUDA_FATBINS_C ${CMAKE_BINARY_DIR}/generated/cuda_fatbins.c)
string(REPLACE ";" "|" entries_arg "${entries}")
add_custom_command(
  OUTPUT ${TPP_CUDA_FATBINS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TPP_CUDA_FATBINS_C} -DMODE=table -DHEADER=cuda/cuda_kernels.h
          -DNAME=tpp_cuda_fatbins -DSIZES=tpp_cuda_fatbin_sizes -DROWS=${image_rows} -DCOLS=4 -DALIGN=8
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
  "TPP_CUDA_TOOLKIT13=\"${TPP_CUDA_TOOLKIT_VERSION}\";TPP_CUDA_TOOLKIT12=\"${TPP_CUDA12_VERSION}\"")

list(APPEND TPP_BACKEND_SOURCES ${TPP_CUDA_FATBINS_C} ${cuda_dir}/cuda_kernels.c
     ${cuda_dir}/wgmma_kernels.c ${cuda_dir}/cuda_driver.c ${cuda_dir}/backend_cuda.c)

if(TPP_CUDA_FATBINS_BUILT)
  list(JOIN TPP_CUDA_ARCHS " sm_" archs)
  set(TPP_BUILD_CUDA_KERNELS "embedded (SASS sm_${archs}, PTX compute_120; wgmma sm_90a)")
else()
  set(TPP_BUILD_CUDA_KERNELS "none (built without a CUDA toolkit or with TPP_WITH_CUDA=OFF)")
endif()
if(TPP_CUDA12_BUILT_SM)
  list(JOIN TPP_CUDA12_BUILT_SM " sm_" archs12)
  string(APPEND TPP_BUILD_CUDA_KERNELS "; for CUDA 12 drivers: NVRTC ${TPP_CUDA12_VERSION} cubins sm_${archs12}, wgmma sm_90a")
  set(cuda12_summary "NVRTC ${TPP_CUDA12_VERSION} cubins for sm_${archs12} (${TPP_NVRTC12_LIB})")
else()
  string(APPEND TPP_BUILD_CUDA_KERNELS "; none for CUDA 12 drivers (R525-R575): built without NVRTC 12")
  list(JOIN cuda12_hints ", " where)
  set(cuda12_summary "none, so CUDA 12 drivers (R525-R575) will be refused: NVRTC 12 not found in ${where}. scripts/install-deps.sh installs it, or: pip install --target ${TPP_CUDA12_DIR} nvidia-cuda-nvrtc-cu12 nvidia-cuda-runtime-cu12")
endif()
list(APPEND TPP_BACKEND_SUMMARY
     "CUDA backend   : ON (driver loaded at run time); kernels: ${TPP_CUDA_FATBINS_BUILT} (toolkit: ${TPP_HAVE_CUDA_TOOLKIT}, SASS for ${TPP_CUDA_ARCHS})"
     "CUDA 12 images : ${cuda12_summary}")
