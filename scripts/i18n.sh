#!/usr/bin/env bash
# Export i18n/customer_relationship.pot from an Odoo database with the addon
# installed (without demo data) and merge it into i18n/zh_CN.po and zh_TW.po.
#   bash scripts/i18n.sh           update the files
#   bash scripts/i18n.sh --check   only tell whether they are current
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

I18N_DB=${I18N_DB:-customer_relationship_i18n}
setup_all
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
dropdb --if-exists --force "$I18N_DB"
odoo_bin --addons-path="$ADDONS_PATH" -d "$I18N_DB" --db-filter="^$I18N_DB\$" \
    -i "$ADDON_NAME" --without-demo=all --stop-after-init --log-level=warn \
    --http-port=0 --max-cron-threads=0
odoo_bin --addons-path="$ADDONS_PATH" -d "$I18N_DB" --db-filter="^$I18N_DB\$" \
    --i18n-export="$pot" --modules="$ADDON_NAME" --stop-after-init --log-level=warn \
    --http-port=0 --max-cron-threads=0
dropdb --if-exists --force "$I18N_DB"
"$VENV/bin/python" "$ADDON_DIR/scripts/i18n.py" --pot "$pot" "$@"
