#!/usr/bin/env bash
# Check that updating the addon (-u) keeps its data and what administrators
# configured: install it (or copy CHECK_TEMPLATE_DB), change tiers, stages,
# categories, activity types, crons, templates, sequence, group members,
# settings and customer profiles as an administrator would, create complaints,
# activities and lifecycle history, run `odoo-bin -u customer_relationship`,
# and compare everything with what it was before. See scripts/check_common.sh
# for the options.
source "$(dirname "${BASH_SOURCE[0]}")/check_common.sh"

check_start upgrade
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" edit
log "Updating $ADDON_NAME on $CHECK_DB"
check_odoo "$CHECK_DB" "$CHECK_LOG" --update="$ADDON_NAME" --stop-after-init
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" check
log "The update kept the data and the configuration."
