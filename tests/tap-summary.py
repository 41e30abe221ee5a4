#!/usr/bin/env python3
"""Sums up the TAP results of one or more `meson test` runs.

Reads each build directory's meson-logs/testlog.json and counts every TAP
line of every test: "ok" passed, "not ok" failed, "# SKIP" skipped. A test
that meson saw fail (crash, timeout, bad plan) without a failing TAP line
counts as one failure more, so nothing that went wrong is lost. Prints
the per-suite figures and ends with one line: "N passed, N failed, N skipped".
Exit status 1 when anything failed or no test ran.
"""
import json
import re
import sys

TAP = re.compile(r'^(not ok|ok)\b(.*)$')


def count(builddir):
    passed = failed = skipped = 0
    failures = []
    with open(builddir + '/meson-logs/testlog.json') as f:
        for line in f:
            t = json.loads(line)
            out = t.get('stdout') or ''
            p = fl = s = 0
            for l in out.splitlines():
                m = TAP.match(l)
                if m:
                    if m.group(1) == 'not ok' and '# TODO' not in m.group(2):
                        fl += 1
                        failures.append('%s: %s' % (t['name'], l))
                    elif re.search(r'#\s*SKIP', m.group(2), re.I):
                        s += 1
                    else:
                        p += 1
                elif re.match(r'^1\.\.0\s*#\s*SKIP', l, re.I):
                    s += 1
            if t.get('result') in ('FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS') and fl == 0:
                fl += 1
                failures.append('%s: %s without a failing TAP line' % (t['name'], t.get('result')))
            if t.get('result') == 'SKIP' and p + fl + s == 0:
                s += 1
            passed, failed, skipped = passed + p, failed + fl, skipped + s
    return passed, failed, skipped, failures


def main():
    total = [0, 0, 0]
    args = sys.argv[1:]
    # --failed-builds=N: builds that did not compile count as failures
    while args and args[0].startswith('--failed-builds='):
        total[1] += int(args.pop(0).split('=', 1)[1])
    for d in args:
        p, f, s, failures = count(d)
        print('%s: %d passed, %d failed, %d skipped' % (d, p, f, s))
        for x in failures:
            print('  FAILED ' + x)
        total = [total[0] + p, total[1] + f, total[2] + s]
    print('%d passed, %d failed, %d skipped' % tuple(total))
    return 1 if total[1] or total[0] == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
