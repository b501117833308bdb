"""Summarise a test run: Odoo's test log and the linters' results.

Prints the failures legibly, then one last line ``N passed, N failed`` and
exits 1 when anything failed. What counts:

* each Odoo test: passed, or failed (failure, error, or skipped: a skipped tour
  means Chromium or websocket-client is missing, which must not pass silently);
* each linter: passed or failed;
* each ERROR or CRITICAL line Odoo logged outside a test (while installing, for
  instance) counts as one failure;
* an Odoo run that ended without its test report, or ran no test, counts as one
  failure.
"""

import argparse
import re
import sys

LINE_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>\S+): "
    r"(?P<message>.*)$"
)
REPORT_RE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
BAD_LEVELS = ("ERROR", "CRITICAL")
RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"
RULE = "-" * 78


def out(text=""):
    sys.stdout.write(text + "\n")


def parse_odoo_log(path):
    """Return (records, report): the log records as dicts, and the final test
    report (a dict of ints) or None."""
    records, report, current = [], None, None
    with open(path, encoding="utf-8", errors="replace") as log:
        for raw in log:
            line = raw.rstrip("\n")
            match = LINE_RE.match(line)
            if match:
                current = dict(match.groupdict(), text=[line])
                records.append(current)
                found = REPORT_RE.search(current["message"])
                if found:
                    report = {k: int(v) for k, v in found.groupdict().items()}
            elif current is not None:
                current["text"].append(line)
    return records, report


def count_tests(records, report, addon, odoo_rc):
    """Return (passed, failed, problems) for the Odoo tests."""
    test_loggers = (f"odoo.addons.{addon}.tests", "odoo.tests")
    problems = []
    skipped = [
        r
        for r in records
        if r["level"] == "INFO"
        and r["logger"].startswith(test_loggers)
        and r["message"].startswith("skipped")
    ]
    if report is None:
        passed, failed = 0, 1
        problems.append("Odoo ended without a test report (exit code %d)." % odoo_rc)
    else:
        bad = report["failed"] + report["errors"]
        # A failing subTest counts once per subtest: never report fewer than 0.
        passed = max(report["run"] - bad - len(skipped), 0)
        failed = bad + len(skipped)
        if not report["run"]:
            failed += 1
            problems.append("No test ran: check --test-tags and the tests' imports.")
    for record in records:
        if record["level"] not in BAD_LEVELS or REPORT_RE.search(record["message"]):
            continue
        if record["logger"].startswith(test_loggers):
            problems.append("\n".join(record["text"]))
        else:
            # Logged outside a test, e.g. while installing the addon.
            failed += 1
            problems.append(
                "Unexpected %s log line:\n%s"
                % (record["level"], "\n".join(record["text"]))
            )
    for record in skipped:
        problems.append("Skipped test (counted as failed): " + record["message"])
    if odoo_rc and report is not None and not failed:
        failed += 1
        problems.append("Odoo exited with code %d." % odoo_rc)
    return passed, failed, problems


def count_lint(path):
    """Return (passed, failed, problems, status lines) for the linters."""
    passed = failed = 0
    problems, status = [], []
    with open(path, encoding="utf-8") as lint_log:
        for line in lint_log.read().splitlines():
            if line.startswith("PASS "):
                passed += 1
                status.append(GREEN + line + RESET)
            elif line.startswith("FAIL "):
                failed += 1
                status.append(RED + line + RESET)
                problems.append("Lint failed: " + line[5:])
            elif problems:
                problems[-1] += "\n" + line
    return passed, failed, problems, status


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-log", required=True)
    parser.add_argument("--odoo-rc", type=int, default=0)
    parser.add_argument("--lint-log", required=True)
    parser.add_argument("--addon", required=True)
    args = parser.parse_args()

    records, report = parse_odoo_log(args.odoo_log)
    t_passed, t_failed, t_problems = count_tests(
        records, report, args.addon, args.odoo_rc
    )
    l_passed, l_failed, l_problems, lint_status = count_lint(args.lint_log)

    out()
    out(BOLD + "Summary" + RESET)
    if report is not None:
        out("  Odoo tests: %(run)d run, %(failed)d failed, %(errors)d errors" % report)
    for line in lint_status:
        out("  " + line)
    problems = t_problems + l_problems
    if problems:
        out()
        out(BOLD + RED + "Failures" + RESET)
        for problem in problems:
            out(RULE)
            out(problem)
        out(RULE)
        out("Full Odoo log: %s" % args.odoo_log)
    passed, failed = t_passed + l_passed, t_failed + l_failed
    out("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
