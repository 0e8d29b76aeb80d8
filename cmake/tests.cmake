# tests.cmake - tests of the whole program: scripts in tests/, run by CTest with the rest of
# the suite.
set(tests ${CMAKE_SOURCE_DIR}/tests)
add_test(NAME test_paths
         COMMAND bash ${tests}/test_paths.sh $<TARGET_FILE:tppbench> ${CMAKE_SOURCE_DIR})
add_test(NAME test_cli_docs
         COMMAND bash ${tests}/test_cli_docs.sh $<TARGET_FILE:tppbench> ${CMAKE_SOURCE_DIR}
                 ${TPP_COMPLETION} ${TPP_MAN_PAGE})
add_test(NAME test_completion
         COMMAND bash ${tests}/test_completion.sh $<TARGET_FILE:tppbench> ${TPP_COMPLETION})
