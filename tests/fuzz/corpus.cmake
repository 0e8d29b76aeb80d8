# corpus.cmake - the seed corpora and the data folder of the fuzz targets, made at build time
# from what the repository holds (cmake -DSRC=<source tree> -DOUT=<build/tests/fuzz> -P):
#   OUT/corpus/result   every result file of tests/data/results, results/, docs/examples
#   OUT/corpus/rules    profiles/rules and tests/data/rules
#   OUT/corpus/profile  profiles/devices
#   OUT/corpus/cli      one input per line of tests/fuzz/seeds/cli.list
#   OUT/data            rules/ (the shipped rule sets), devices/ (a few profiles: the CLI
#                       loads them at every input), no-icd/ (no OpenCL platform)
file(REMOVE_RECURSE ${OUT}/corpus ${OUT}/data)
foreach(dir corpus/result corpus/rules corpus/profile corpus/cli data/rules data/devices data/no-icd)
  file(MAKE_DIRECTORY ${OUT}/${dir})
endforeach()
file(GLOB results ${SRC}/tests/data/results/*.json ${SRC}/results/*.json
     ${SRC}/docs/examples/*.json ${SRC}/tests/data/sign/result.json)
file(GLOB rules ${SRC}/profiles/rules/*.json ${SRC}/tests/data/rules/*.json)
file(GLOB profiles ${SRC}/profiles/devices/*.json)
file(GLOB shipped_rules ${SRC}/profiles/rules/*.json)
# Each seed is named after its source: results/x.json -> results_x.json.
function(copy_seeds dest)
  foreach(f ${ARGN})
    file(RELATIVE_PATH rel ${SRC} ${f})
    string(REPLACE "/" "_" name ${rel})
    configure_file(${f} ${OUT}/${dest}/${name} COPYONLY)
  endforeach()
endfunction()
copy_seeds(corpus/result ${results})
copy_seeds(corpus/rules ${rules})
copy_seeds(corpus/profile ${profiles})
file(COPY ${shipped_rules} DESTINATION ${OUT}/data/rules)
foreach(id nvidia-h100-sxm5-80gb nvidia-h20-96gb nvidia-l4 nvidia-l40 nvidia-l40s nvidia-l2
           nvidia-l20 amd-instinct-mi300x huawei-ascend-910b)
  file(COPY ${SRC}/profiles/devices/${id}.json DESTINATION ${OUT}/data/devices)
endforeach()

file(STRINGS ${SRC}/tests/fuzz/seeds/cli.list lines)
set(n 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line STREQUAL "")
    continue()
  endif()
  string(REPLACE "|" ";" parts "${line}")
  list(POP_FRONT parts args)
  string(STRIP "${args}" text)
  foreach(part IN LISTS parts)
    string(STRIP "${part}" part)
    set(content "")
    if(NOT part STREQUAL "-")
      file(READ ${SRC}/${part} content)
    endif()
    string(APPEND text "\n---\n${content}")
  endforeach()
  math(EXPR n "${n} + 1")
  file(WRITE ${OUT}/corpus/cli/seed-${n}.txt "${text}")
endforeach()
