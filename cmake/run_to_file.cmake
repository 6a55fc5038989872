# cmake -DPROGRAM=... -DARGS=a;b -DOUT=file -P run_to_file.cmake
# PROGRAM's standard output into OUT; fails the build when it exits non-zero
# or prints nothing (a command the binary does not have yet, say), and never
# leaves a half-written OUT behind.
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
string(REPLACE ";" " " shown "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "`${PROGRAM} ${shown}` failed (${rc}): ${err}")
endif()
file(SIZE ${OUT}.tmp size)
if(size EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "`${PROGRAM} ${shown}` printed nothing")
endif()
file(RENAME ${OUT}.tmp ${OUT})
