"""Print how many tests ran on each database, from the JUnit files `make test` writes."""

import sys
from pathlib import Path

from defusedxml import ElementTree


def suite_counts(path):
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    return totals


def main(folder):
    print("== Tests run ==")
    for name, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        path = Path(folder) / f"{name}.xml"
        if not path.exists():
            print(f"{label:>11}: not run")
            continue
        counts = suite_counts(path)
        passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
        print(
            f"{label:>11}: {counts['tests']} tests, {passed} passed, "
            f"{counts['failures'] + counts['errors']} failed, {counts['skipped']} skipped"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "test-results")
