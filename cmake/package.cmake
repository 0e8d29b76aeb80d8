# package.cmake - what `cmake --install` puts where, and the Debian package (`cpack -G DEB`
# in the build folder).  The layout is relocatable: the binary finds its data at
# <bindir>/../share/tppbench (include/tpp/paths.h), whatever the prefix.
#
#   <prefix>/bin/tppbench
#   <prefix>/share/tppbench/{rules,devices,rates}/*.json
#   <prefix>/share/man/man1/tppbench.1.gz
#   <prefix>/share/bash-completion/completions/tppbench
#   <prefix>/share/doc/tppbench/README.md
install(TARGETS tppbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY profiles/ DESTINATION ${CMAKE_INSTALL_DATADIR}/tppbench
        FILES_MATCHING PATTERN "*.json")
if(TPP_MAN_PAGE)
  install(FILES ${TPP_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
# bash-completion loads completions/<command> on first use: the file is named for the command.
install(FILES ${TPP_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME tppbench)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(TPP_PACKAGE_CONTACT "tppbench maintainers" CACHE STRING
    "Maintainer field of the Debian package (\"Name <email>\")")
set(CPACK_PACKAGE_NAME tppbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${TPP_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "measure an accelerator's dense throughput and classify it under export rules")
# Debian wraps the long description at 80 columns: the line breaks are kept.
set(CPACK_PACKAGE_DESCRIPTION
    "tppbench measures dense throughput at every precision and device-memory bandwidth
with its own kernels (OpenCL; CUDA through the driver loaded at run time), computes
Total Processing Performance and performance density, and classifies the device
under US export rules (ECCN 3A090) kept as versioned data files.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Library dependencies from the binary itself (dpkg-shlibdeps, in dpkg-dev): on Debian 12
# libc6, libhwloc15, libjansson4, ocl-icd-libopencl1, libsodium23, libcairo2 and the pango
# libraries, with their minimum versions.  The NVIDIA driver is loaded at run time and is
# not a dependency.  Without an OpenCL driver (ICD) there is no device to measure: PoCL's CPU
# device is recommended, any ICD will do.  `tppbench report` sets its text in DejaVu Sans
# (any font fontconfig finds will do).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pocl-opencl-icd | opencl-icd, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "clinfo, hwloc")
set(CPACK_STRIP_FILES ON)
include(CPack)
