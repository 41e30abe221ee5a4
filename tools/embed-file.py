#!/usr/bin/env python3
# Writes a C file that defines a NUL-terminated byte array with the
# contents of a file, so the programs carry the schema they validate with.
import sys

src, out, symbol = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
with open(out, 'w') as f:
    f.write('/* generated from %s; do not edit */\n#include <stddef.h>\n' % src.split('/')[-1])
    f.write('const char %s[] = {\n' % symbol)
    for i in range(0, len(data), 16):
        f.write('  ' + ', '.join('0x%02x' % b for b in data[i:i + 16]) + ',\n')
    f.write('  0x00\n};\n')
    f.write('const size_t %s_size = %d;\n' % (symbol, len(data)))
