# tests.cmake - tests of the command documentation, the data search path, the install and
# the package (scripts in tests/; run by CTest with the rest of the suite).
set(tests ${CMAKE_SOURCE_DIR}/tests)
add_test(NAME test_cli_docs
         COMMAND bash ${tests}/test_cli_docs.sh $<TARGET_FILE:tppbench> ${CMAKE_SOURCE_DIR}
                 ${TPP_COMPLETION} ${TPP_MAN_PAGE})
add_test(NAME test_completion
         COMMAND bash ${tests}/test_completion.sh $<TARGET_FILE:tppbench> ${TPP_COMPLETION})
add_test(NAME test_paths
         COMMAND bash ${tests}/test_paths.sh $<TARGET_FILE:tppbench> ${CMAKE_SOURCE_DIR})
add_test(NAME test_install COMMAND bash ${tests}/test_install.sh ${CMAKE_BINARY_DIR})
add_test(NAME test_deb COMMAND bash ${tests}/test_deb.sh ${CMAKE_BINARY_DIR})
set_tests_properties(test_deb PROPERTIES SKIP_RETURN_CODE 77)
# The ones that install or package read the whole build: not alongside each other.
set_tests_properties(test_install test_deb PROPERTIES RUN_SERIAL ON)
