#!/usr/bin/env bash
# Export i18n/customer_relationship.pot with click-odoo-makepot from an Odoo
# database with the addon installed (without demo data) and merge it into
# every i18n/*.po with msgmerge (exact matches only; terms gone are dropped).
#   bash scripts/i18n.sh           update the files
#   bash scripts/i18n.sh --check   only tell whether they are current
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

I18N_DB=${I18N_DB:-customer_relationship_i18n}
setup_all gettext
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dropdb --if-exists --force "$I18N_DB"
odoo_bin --addons-path="$ADDONS_PATH" -d "$I18N_DB" --db-filter="^$I18N_DB\$" \
    -i "$ADDON_NAME" --without-demo=all --stop-after-init --log-level=warn \
    --http-port=0 --max-cron-threads=0
addons_dir=$EXTRA_ADDONS
if [ "${1:-}" = --check ]; then
    # click-odoo-makepot has no check mode: it updates a copy, compared below.
    addons_dir=$tmp/addons
    mkdir -p "$addons_dir/$ADDON_NAME"
    cp -R "$ADDON_DIR/__manifest__.py" "$ADDON_DIR/i18n" "$addons_dir/$ADDON_NAME/"
fi
printf '[options]\naddons_path = %s\n' "$ADDONS_PATH" >"$tmp/odoo.cfg"
PYTHONPATH=$ODOO_SRC "$VENV/bin/click-odoo-makepot" --config="$tmp/odoo.cfg" \
    --database="$I18N_DB" --addons-dir="$addons_dir" --modules="$ADDON_NAME" \
    --msgmerge --no-fuzzy-matching --purge-old-translations
dropdb --if-exists --force "$I18N_DB"
if [ "${1:-}" = --check ]; then
    if ! diff -ru "$ADDON_DIR/i18n" "$addons_dir/$ADDON_NAME/i18n" >"$tmp/diff"; then
        head -n 100 "$tmp/diff"
        die "i18n/ is out of date: run bash scripts/i18n.sh"
    fi
fi
