# Turns a text file into a C++ source defining `const std::string_view <SYMBOL>` with its
# contents, so data kept as a readable file in the repository (e.g. src/iac/data/*.json) is
# compiled into the binary. Run as a build step:
#   cmake -DINPUT=in.json -DOUTPUT=out.cc -DNAMESPACE=atg::iac -DSYMBOL=kName -P embed.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")atg\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )atg\"")
endif()
string(LENGTH "${content}" length)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed.cmake; do not edit.\n"
  "#include <string_view>\n\nnamespace ${NAMESPACE} {\n\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} =\n")
# Adjacent literals of at most 16 KB each: no compiler limit on one literal is met.
set(chunk 16000)
set(offset 0)
while(offset LESS length)
  string(SUBSTRING "${content}" ${offset} ${chunk} part)
  file(APPEND "${OUTPUT}.tmp" "    R\"atg(${part})atg\"\n")
  math(EXPR offset "${offset} + ${chunk}")
endwhile()
if(length EQUAL 0)
  file(APPEND "${OUTPUT}.tmp" "    \"\"\n")
endif()
file(APPEND "${OUTPUT}.tmp" "    ;\n\n}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
