# Writes INPUT as a C++ raw string literal named kRuntimeHeader to OUTPUT.
file(READ ${INPUT} content)
file(WRITE ${OUTPUT} "static const char kRuntimeHeader[] = R\"KILNHDR(${content})KILNHDR\";\n")
