#!/usr/bin/env python3
"""Prints 'N passed, N failed, N skipped' from meson testlog.json files.

Subtests count, not meson tests: each result line of a TAP test counts once
("ok" passed, "ok ... # SKIP" skipped, "not ok" failed, "# TODO" an expected
failure or pass, "1..0 # SKIP" one skip); a TAP test that meson did not pass
although none of its lines failed (it crashed, timed out or broke its plan)
adds one failure. A test of the exit-code protocol counts as one.

  count-tests.py [--allowed-skips FILE] testlog.json...

With --allowed-skips (CI, which runs as root under Xvfb and so can run
everything), a skip is a failure unless FILE lists it: one line per subtest,
"NAME  reason" (NAME as in the TAP line, or the meson test's name), '#'
starts a comment, and a line without a reason is refused. The failing skips
are listed before the last line, and the exit status is 1.
"""
import json
import re
import sys

RESULT = re.compile(r"^(not )?ok\b(?:\s+\d+)?\s*([^#]*?)\s*(?:#\s*(.*))?$")
PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")


def read_allowed(path):
    allowed = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) < 2:
                sys.exit(f"{path}:{number}: a skip is allowed only with a reason")
            allowed[parts[0]] = parts[1]
    return allowed


def subtests(test):
    """Yields (name, 'passed' | 'failed' | 'skipped') for each result of @test."""
    meson_ok = test["result"] in ("OK", "EXPECTEDFAIL")
    lines = (test.get("stdout") or "").splitlines()
    results = [m for m in map(RESULT.match, lines) if m]
    plans = [m for m in map(PLAN.match, lines) if m]
    if not results and not plans:
        if test["result"] == "SKIP":
            yield test["name"], "skipped"
        else:
            yield test["name"], "passed" if meson_ok else "failed"
        return
    failed = False
    for m in results:
        directive = (m.group(3) or "").upper()
        name = m.group(2) or test["name"]
        if directive.startswith("SKIP"):
            yield name, "skipped"
        elif directive.startswith("TODO") or not m.group(1):
            yield name, "passed"
        else:
            failed = True
            yield name, "failed"
    if not results and plans and (plans[0].group(2) or "").upper().startswith("SKIP"):
        yield test["name"], "skipped"
    elif not meson_ok and test["result"] != "SKIP" and not failed:
        yield test["name"], "failed"


def main(argv):
    allowed = None
    if argv[:1] == ["--allowed-skips"]:
        allowed = read_allowed(argv[1])
        argv = argv[2:]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for path in argv:
        with open(path, encoding="utf-8") as log:
            for line in log:
                if not line.strip():
                    continue
                for name, outcome in subtests(json.loads(line)):
                    if outcome == "skipped" and allowed is not None and name not in allowed:
                        print(f"skipped, and not allowed to skip in CI: {name}")
                        outcome = "failed"
                    counts[outcome] += 1
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
