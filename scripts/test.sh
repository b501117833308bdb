#!/usr/bin/env bash
# Run every check of the addon: the hooks of .pre-commit-config.yaml (ruff,
# pylint-odoo's mandatory checks, oca-checks-odoo-module, oca-checks-po,
# prettier...), manifestoo's licence and development status checks, its Odoo
# tests (at_install, post_install and tours in headless Chromium) on a fresh
# database, then updates and uninstalls the addon on copies of the test
# database (scripts/check_upgrade.sh, scripts/check_uninstall.sh). Ends with
# "N passed, N failed" and exits non-zero when anything failed.
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
ensure_node_tools

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
    if (cd "${LINT_DIR:-$ADDON_DIR}" && "$@") >>"$LINT_LOG.part" 2>&1; then
        echo "PASS $name" >>"$LINT_LOG"
    else
        echo "FAIL $name" >>"$LINT_LOG"
        sed 's/^/    /' "$LINT_LOG.part" >>"$LINT_LOG"
        log "FAILED: $name (details in the summary)"
    fi
    rm -f "$LINT_LOG.part"
}

# The pre-commit hooks, one line each, run on a copy of the checkout (its
# tracked and untracked files as they are now), so the fixers among them
# report what they would change without changing the checkout.
HOOKS_TMP=$(mktemp -d)
trap 'rm -rf "$HOOKS_TMP"' EXIT
HOOKS_COPY=$HOOKS_TMP/$ADDON_NAME
mkdir "$HOOKS_COPY"
(cd "$ADDON_DIR" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi # not deleted
    done |
    tar --null --files-from=- -cf -) | tar -xf - -C "$HOOKS_COPY"
ln -s "$ADDON_DIR/node_modules" "$HOOKS_COPY/node_modules"
git -C "$HOOKS_COPY" init -q
echo /node_modules >>"$HOOKS_COPY/.git/info/exclude"
git -C "$HOOKS_COPY" add -A
run_hook() {
    local rc=0
    PATH=$VENV/bin:$PATH "$VENV/bin/pre-commit" run --all-files --color=never "$1" || rc=$?
    # what a fixer would change: the diff when short, else the files
    if [ "$(git diff | wc -l)" -le 60 ]; then git diff; else git diff --stat; fi
    git checkout -q -- . && git clean -fdq
    return $rc
}
while IFS=$'\t' read -r hook_id hook_name; do
    # Checked below with --check, like the other generated files.
    [ "$hook_id" = gen-addon-readme ] && continue
    LINT_DIR=$HOOKS_COPY lint "$hook_name" run_hook "$hook_id"
done < <("$VENV/bin/python" -c '
import sys, yaml
for repo in yaml.safe_load(open(sys.argv[1]))["repos"]:
    for hook in repo["hooks"]:
        print(hook["id"], hook.get("name", hook["id"]), sep="\t")
' "$ADDON_DIR/.pre-commit-config.yaml")

MANIFESTOO=("$VENV/bin/manifestoo" --addons-path="$ODOO_SRC/odoo/addons,$ADDONS_PATH"
    --no-addons-path-from-import-odoo --select-include="$ADDON_NAME")
lint "manifestoo check-licenses" "${MANIFESTOO[@]}" check-licenses --transitive
lint "manifestoo check-dev-status" "${MANIFESTOO[@]}" check-dev-status --transitive
lint "README.rst generated" "$VENV/bin/python" scripts/gen_readme.py --check
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
