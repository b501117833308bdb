#!/usr/bin/env bash
# Check that updating the addon (-u) keeps its data and what administrators
# configured: install it (or copy CHECK_TEMPLATE_DB), change tiers, stages,
# categories, activity types, crons, templates, sequence, group members,
# settings and customer profiles as an administrator would, create complaints,
# activities and lifecycle history, run `odoo-bin -u customer_relationship`,
# and compare everything with what it was before. See scripts/check_common.sh
# for the options.
source "$(dirname "${BASH_SOURCE[0]}")/check_common.sh"

CHECK_DB=${CHECK_DB:-${TEST_DB:-customer_relationship_test}_upgrade}

setup_all
LOG_DIR=$CR_CACHE/logs
mkdir -p "$LOG_DIR"
CHECK_LOG=$LOG_DIR/$CHECK_DB.log
: >"$CHECK_LOG"
CHECK_STATE=$(mktemp)
export CHECK_STATE
trap 'rm -f "$CHECK_STATE"; check_cleanup "$CHECK_DB"' EXIT

SCRIPT=$ADDON_DIR/scripts/check_upgrade.py
check_prepare_db "$CHECK_DB" "$CHECK_LOG"
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" edit
log "Updating $ADDON_NAME on $CHECK_DB"
check_odoo "$CHECK_DB" "$CHECK_LOG" --update="$ADDON_NAME" --stop-after-init
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" check
log "The update kept the data and the configuration."
