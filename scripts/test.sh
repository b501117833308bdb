#!/usr/bin/env bash
# Run every check of the addon: its Odoo tests (at_install, post_install and
# tours in headless Chromium) on a fresh database, then ruff, pylint-odoo's
# mandatory checks and oca-checks-odoo-module, and updates and uninstalls the
# addon on copies of the test database (scripts/check_upgrade.sh,
# scripts/check_uninstall.sh). Ends with "N passed, N failed" and exits
# non-zero when anything failed.
#
# Options (environment variables, besides those of scripts/lib.sh):
#   TEST_DB      database to (re)create for the run (default customer_relationship_test)
#   TEST_TAGS    Odoo --test-tags (default /customer_relationship: all our tests)
#   ODOO_PORT    HTTP port used by the tours (default 8169)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST_DB=${TEST_DB:-customer_relationship_test}
TEST_TAGS=${TEST_TAGS:-/$ADDON_NAME}
ODOO_PORT=${ODOO_PORT:-8169}

setup_all
ensure_chromium

LOG_DIR=$CR_CACHE/logs
mkdir -p "$LOG_DIR"
ODOO_LOG=$LOG_DIR/$TEST_DB.log
LINT_LOG=$LOG_DIR/$TEST_DB.lint.log
: >"$LINT_LOG"

# --- Lint --------------------------------------------------------------------
lint() {
    local name=$1
    shift
    log "Lint: $name"
    if (cd "$ADDON_DIR" && "$@") >>"$LINT_LOG.part" 2>&1; then
        echo "PASS $name" >>"$LINT_LOG"
    else
        echo "FAIL $name" >>"$LINT_LOG"
        sed 's/^/    /' "$LINT_LOG.part" >>"$LINT_LOG"
        log "FAILED: $name (details in the summary)"
    fi
    rm -f "$LINT_LOG.part"
}
# pylint-odoo checks the addon's code, not the development scripts.
PY_FILES=$(cd "$ADDON_DIR" && git ls-files --cached --others --exclude-standard '*.py' ':!:scripts/*' ':!:benchmarks/*' | tr '\n' ' ')
lint "ruff check" "$VENV/bin/ruff" check --no-fix .
lint "ruff format" "$VENV/bin/ruff" format --check .
# shellcheck disable=SC2086
lint "pylint-odoo (mandatory)" "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory \
    --score=n --output-format=text $PY_FILES
lint "oca-checks-odoo-module" "$VENV/bin/oca-checks-odoo-module" --no-verbose "$ADDON_DIR/__manifest__.py"
lint "README.rst generated" "$VENV/bin/python" scripts/gen_readme.py --check
lint "oca-checks-po" "$VENV/bin/oca-checks-po" --no-verbose $(cd "$ADDON_DIR" && ls i18n/*.po i18n/*.pot 2>/dev/null)
lint "wheel carries the addon only" "$VENV/bin/python" scripts/check_wheel.py

# --- Odoo tests ----------------------------------------------------------------
log "Creating a fresh database $TEST_DB and running the tests (log: $ODOO_LOG)"
dropdb --if-exists --force "$TEST_DB"
set +e
CHROME_BIN=$(chromium_bin) odoo_bin \
    --addons-path="$ADDONS_PATH" \
    --database="$TEST_DB" \
    --db-filter="^$TEST_DB\$" \
    --init="$ADDON_NAME" \
    --test-enable \
    --test-tags="$TEST_TAGS" \
    --http-port="$ODOO_PORT" \
    --gevent-port="$((ODOO_PORT + 3))" \
    --workers=0 \
    --max-cron-threads=0 \
    --log-level=info \
    --stop-after-init \
    >"$ODOO_LOG" 2>&1 &
odoo_pid=$!
# Progress: which test runs, and any problem as it happens.
tail -n +1 -f --pid=$odoo_pid "$ODOO_LOG" 2>/dev/null |
    grep --line-buffered -E " (ERROR|CRITICAL) |: (FAIL|ERROR): |Starting .*\.test_|loading [0-9]+ modules|Modules loaded" |
    sed -u -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ //' >&2
wait $odoo_pid
odoo_rc=$?
set -e

# i18n/ must match the code: export the .pot again and compare (own database).
I18N_DB=${TEST_DB}_i18n lint "i18n files current" bash scripts/i18n.sh --check

# Update and uninstall the addon on copies of the test database (see README.md).
CHECK_TEMPLATE_DB=$TEST_DB CHECK_DB=${TEST_DB}_upgrade \
    lint "upgrade keeps configuration" bash scripts/check_upgrade.sh
CHECK_TEMPLATE_DB=$TEST_DB CHECK_DB=${TEST_DB}_uninstall \
    lint "uninstall leaves partners and orders intact" bash scripts/check_uninstall.sh

"$VENV/bin/python" "$ADDON_DIR/scripts/summarize.py" \
    --odoo-log "$ODOO_LOG" --odoo-rc "$odoo_rc" --lint-log "$LINT_LOG" --addon "$ADDON_NAME"
