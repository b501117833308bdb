#!/usr/bin/env bash
# On-demand benchmark of the daily profile refresh (not part of the tests):
# builds or reuses a database with N partners and M confirmed orders, runs a
# full pass and a second pass with nothing changed, and prints the figures.
# Arguments go to benchmarks/bench_refresh.py, e.g.
#   bash scripts/bench.sh --partners 100000 --orders 1000000
#   bash scripts/bench.sh --help
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_all
exec "$VENV/bin/python" "$ADDON_DIR/benchmarks/bench_refresh.py" --addons-path="$ADDONS_PATH" "$@"
