#!/usr/bin/env python3
"""Prints 'N passed, N failed, N skipped' from meson testlog.json files.

Each meson test counts once; a GTest binary that runs twenty cases is one test
that passes only if all twenty pass.
"""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
