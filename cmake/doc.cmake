# doc.cmake - the man page tppbench(1) and the bash completion, generated at build time from
# the command table harness/cli_doc.c (the one `tppbench --help` prints) by tppbench-gendoc.
# The man page needs scdoc (Debian package scdoc; scripts/install-deps.sh installs it):
# without it, the build goes on without a man page and says so.
#
# Sets TPP_MAN_PAGE (the uncompressed page, empty without scdoc) and TPP_COMPLETION.
add_executable(tppbench-gendoc harness/gendoc.c harness/cli_doc.c)
target_include_directories(tppbench-gendoc PRIVATE ${CMAKE_SOURCE_DIR}/include
                           ${CMAKE_SOURCE_DIR}/harness ${CMAKE_BINARY_DIR}/generated)
target_compile_definitions(tppbench-gendoc PRIVATE TPP_DATADIR_REL="${TPP_DATADIR_REL}")
target_compile_options(tppbench-gendoc PRIVATE ${TPP_WARNINGS} ${TPP_SAN_FLAGS})
target_link_options(tppbench-gendoc PRIVATE ${TPP_SAN_FLAGS})

set(TPP_DOC_DIR ${CMAKE_BINARY_DIR}/doc)
set(TPP_COMPLETION ${TPP_DOC_DIR}/tppbench.bash)
add_custom_command(
  OUTPUT ${TPP_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${TPP_DOC_DIR}
  COMMAND tppbench-gendoc bash ${TPP_COMPLETION}
  DEPENDS tppbench-gendoc
  COMMENT "Generating the bash completion"
  VERBATIM)
set(doc_outputs ${TPP_COMPLETION})

find_program(TPP_SCDOC scdoc)
set(TPP_MAN_PAGE "")
if(TPP_SCDOC)
  set(TPP_MAN_PAGE ${TPP_DOC_DIR}/tppbench.1)
  # gzip -n: no name or time stamp in the archive (scdoc dates the page from
  # SOURCE_DATE_EPOCH when set, for reproducible packages).
  add_custom_command(
    OUTPUT ${TPP_MAN_PAGE} ${TPP_MAN_PAGE}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TPP_DOC_DIR}
    COMMAND tppbench-gendoc man ${TPP_DOC_DIR}/tppbench.1.scd
    COMMAND sh -c "\"$0\" < \"$1.scd\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\" && gzip -9nc \"$1\" > \"$1.gz\""
            ${TPP_SCDOC} ${TPP_MAN_PAGE}
    DEPENDS tppbench-gendoc
    COMMENT "Generating the man page tppbench(1)"
    VERBATIM)
  list(APPEND doc_outputs ${TPP_MAN_PAGE})
else()
  message(WARNING "scdoc not found: no man page (scripts/install-deps.sh installs scdoc)")
endif()
add_custom_target(tpp_docs ALL DEPENDS ${doc_outputs})
