#!/usr/bin/env bash
# Check that uninstalling the addon removes what it added and nothing else:
# install it (or copy CHECK_TEMPLATE_DB), create profiles, complaints,
# activities of its types and lifecycle history, uninstall it as the Apps menu
# does, then check that no model, table, column, index, menu, cron, activity
# type, group, external id or setting of the addon is left, and that every
# partner, product and sale order is still there. See scripts/check_common.sh
# for the options.
source "$(dirname "${BASH_SOURCE[0]}")/check_common.sh"

CHECK_DB=${CHECK_DB:-${TEST_DB:-customer_relationship_test}_uninstall}

setup_all
LOG_DIR=$CR_CACHE/logs
mkdir -p "$LOG_DIR"
CHECK_LOG=$LOG_DIR/$CHECK_DB.log
: >"$CHECK_LOG"
CHECK_STATE=$(mktemp)
export CHECK_STATE
trap 'rm -f "$CHECK_STATE"; check_cleanup "$CHECK_DB"' EXIT

SCRIPT=$ADDON_DIR/scripts/check_uninstall.py
check_prepare_db "$CHECK_DB" "$CHECK_LOG"
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" prepare
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" uninstall
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" check
log "The uninstall removed the addon and kept partners and orders."
