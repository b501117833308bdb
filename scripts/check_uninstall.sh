#!/usr/bin/env bash
# Check that uninstalling the addon removes what it added and nothing else:
# install it (or copy CHECK_TEMPLATE_DB), create profiles, complaints,
# activities of its types and lifecycle history, uninstall it as the Apps menu
# does, then check that no model, table, column, index, menu, cron, activity
# type, group, external id or setting of the addon is left, and that every
# partner, product and sale order is still there. See scripts/check_common.sh
# for the options.
source "$(dirname "${BASH_SOURCE[0]}")/check_common.sh"

check_start uninstall
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" prepare
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" uninstall
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" check
log "The uninstall removed the addon and kept partners and orders."
