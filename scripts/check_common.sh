# shellcheck shell=bash
# Shared by scripts/check_upgrade.sh and scripts/check_uninstall.sh: a database
# of their own with the addon installed, and Python phases run in odoo-bin shell.
#
# Options (environment variables, besides those of scripts/lib.sh):
#   CHECK_DB           database to (re)create for the check (dropped at the end,
#                      passed or failed)
#   CHECK_TEMPLATE_DB  copy this database, where the addon is installed, instead
#                      of installing the addon with demo data on a new one
#                      (scripts/test.sh passes its test database)
#   CHECK_KEEP_DB      set to 1 to keep the database afterwards
#   CHECK_ADDONS_PATH  addons path of odoo-bin (default: Odoo's addons and the
#                      checkout), e.g. a previous release of the addon
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHECK_TEMPLATE_DB=${CHECK_TEMPLATE_DB:-}
CHECK_KEEP_DB=${CHECK_KEEP_DB:-}
# The check scripts import their helpers from scripts/.
export ADDON_DIR

# check_prepare_db DB LOG: the addon installed in DB, with demo data.
check_prepare_db() {
    local db=$1 log=$2
    dropdb --if-exists --force "$db"
    if [ -n "$CHECK_TEMPLATE_DB" ]; then
        log "Copying $CHECK_TEMPLATE_DB to $db"
        createdb --template="$CHECK_TEMPLATE_DB" "$db"
    else
        log "Installing $ADDON_NAME on a new database $db (log: $log)"
        check_odoo "$db" "$log" --init="$ADDON_NAME" --stop-after-init
    fi
}

# check_odoo DB LOG ARGS...: run odoo-bin on DB; fails on an ERROR or CRITICAL
# line in its log.
check_odoo() {
    local db=$1 log=$2
    shift 2
    odoo_bin "$@" \
        --addons-path="${CHECK_ADDONS_PATH:-$ADDONS_PATH}" \
        --database="$db" \
        --db-filter="^$db\$" \
        --no-http \
        --workers=0 \
        --max-cron-threads=0 \
        --log-level=info \
        >>"$log" 2>&1 || {
        # The end of the log without Odoo's INFO lines: errors and the check's report.
        grep -v -E "^[0-9-]+ [0-9:,]+ [0-9]+ INFO " "$log" | tail -n 30 >&2
        die "odoo-bin $* failed on $db (log: $log)"
    }
    if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log"; then
        die "odoo-bin $* logged errors on $db (log: $log)"
    fi
}

# check_phase DB LOG SCRIPT PHASE: run a phase of a check script in odoo-bin
# shell; the script reads CHECK_PHASE and keeps its state in CHECK_STATE.
check_phase() {
    local db=$1 log=$2 script=$3 phase=$4
    log "$(basename "$script"): $phase"
    CHECK_PHASE=$phase check_odoo "$db" "$log" shell <"$script"
}

# check_cleanup DB: drop DB, unless CHECK_KEEP_DB is set.
check_cleanup() {
    local db=$1
    [ -n "$CHECK_KEEP_DB" ] || dropdb --if-exists --force "$db"
}

# check_start NAME [PREPARE]: set up the check NAME (upgrade, uninstall): its
# database CHECK_DB (default <TEST_DB>_NAME), log CHECK_LOG, a temporary folder
# CHECK_TMP holding the state file CHECK_STATE, all removed on exit; its Python
# phases SCRIPT (scripts/check_NAME.py); then the addon installed in the
# database by PREPARE DB LOG (default check_prepare_db).
check_start() {
    local name=$1 prepare=${2:-check_prepare_db}
    CHECK_DB=${CHECK_DB:-${TEST_DB:-customer_relationship_test}_$name}
    setup_all
    mkdir -p "$CR_CACHE/logs"
    CHECK_LOG=$CR_CACHE/logs/$CHECK_DB.log
    : >"$CHECK_LOG"
    CHECK_TMP=$(mktemp -d)
    CHECK_STATE=$CHECK_TMP/state.json
    export CHECK_STATE
    trap 'rm -rf "$CHECK_TMP"; check_cleanup "$CHECK_DB"' EXIT
    SCRIPT=$ADDON_DIR/scripts/check_$name.py
    "$prepare" "$CHECK_DB" "$CHECK_LOG"
}
