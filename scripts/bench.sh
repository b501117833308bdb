#!/usr/bin/env bash
# On-demand benchmarks (not part of the tests).
#
# The profile refresh (default): builds or reuses a database with N partners
# and M confirmed orders, runs a full pass and a second pass with nothing
# changed, and prints the figures. Arguments go to benchmarks/bench_refresh.py:
#   bash scripts/bench.sh --partners 100000 --orders 1000000
#   bash scripts/bench.sh --help
#
# The reminders (first argument --reminders): builds or reuses a database with
# N customers over S salespeople, runs the reminder job after the install, a
# second time the same day and the next day, and prints the figures. Arguments
# go to benchmarks/bench_reminders.py:
#   bash scripts/bench.sh --reminders --customers 100000 --salespeople 20
#   bash scripts/bench.sh --reminders --help
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_all
bench=bench_refresh.py
if [ "${1:-}" = "--reminders" ]; then
    shift
    bench=bench_reminders.py
fi
exec "$VENV/bin/python" "$ADDON_DIR/benchmarks/$bench" --addons-path="$ADDONS_PATH" "$@"
