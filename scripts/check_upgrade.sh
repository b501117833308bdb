#!/usr/bin/env bash
# Check that updating the addon from its previous release to the checkout (-u)
# runs the migrations, keeps the data and what administrators configured, and
# leaves no duplicate: install the previous release (the latest commit whose
# __manifest__.py has a lower version, see scripts/previous_release.py), change
# tiers, stages, categories, activity types, crons, templates, sequence, group
# members, settings and customer profiles as an administrator would, create
# complaints, activities and lifecycle history, run `odoo-bin -u
# customer_relationship` with the checkout, compare everything with what it
# was before, and check that the addon's configuration records are those its
# data files declare, one record each. Without an earlier version in the git
# history (a shallow clone), the checkout is installed (or CHECK_TEMPLATE_DB
# copied) and updated onto itself. See scripts/check_common.sh for the options.
#
#   CHECK_UPGRADE_FROM  a commit to upgrade from instead of the previous
#                       release; "current" updates the checkout onto itself
source "$(dirname "${BASH_SOURCE[0]}")/check_common.sh"

CHECK_UPGRADE_FROM=${CHECK_UPGRADE_FROM:-}

# upgrade_prepare_db DB LOG: the previous release installed in DB with demo
# data, from a copy of its commit; else what check_prepare_db does.
upgrade_prepare_db() {
    local db=$1 log=$2 release commit version why="CHECK_UPGRADE_FROM=current"
    if [ "$CHECK_UPGRADE_FROM" = current ]; then
        release=
    elif [ -n "$CHECK_UPGRADE_FROM" ]; then
        commit=$(git -C "$ADDON_DIR" rev-parse --verify -q "$CHECK_UPGRADE_FROM^{commit}") ||
            die "CHECK_UPGRADE_FROM=$CHECK_UPGRADE_FROM is not a commit."
        release="$commit $(git -C "$ADDON_DIR" show "$commit:./__manifest__.py" |
            "$VENV/bin/python" -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())["version"])')"
    else
        release=$("$VENV/bin/python" "$ADDON_DIR/scripts/previous_release.py" 2>"$CHECK_TMP/why") ||
            release=
        why=$(cat "$CHECK_TMP/why")
    fi
    if [ -z "$release" ]; then
        log "No earlier version of $ADDON_NAME to upgrade from ($why): updating the checkout onto itself; the migrations are not tested."
        CHECK_UPGRADE_FROM_VERSION=
        check_prepare_db "$db" "$log"
        return
    fi
    read -r commit version <<<"$release"
    CHECK_UPGRADE_FROM_VERSION=$version
    mkdir -p "$CHECK_TMP/previous/$ADDON_NAME"
    git -C "$ADDON_DIR" archive "$commit" | tar -x -C "$CHECK_TMP/previous/$ADDON_NAME"
    CHECK_ADDONS_PATH=$ODOO_SRC/addons,$CHECK_TMP/previous
    [ -z "$CHECK_TEMPLATE_DB" ] ||
        log "Not copying $CHECK_TEMPLATE_DB: it holds the checkout's version, not the previous one."
    log "Upgrading from $ADDON_NAME $version (commit ${commit:0:12}): installing it on a new database $db (log: $log)"
    dropdb --if-exists --force "$db"
    check_odoo "$db" "$log" --init="$ADDON_NAME" --stop-after-init
}

check_start upgrade upgrade_prepare_db
export CHECK_UPGRADE_FROM_VERSION
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" edit
# From here on, the checkout.
CHECK_ADDONS_PATH=
log "Updating $ADDON_NAME on $CHECK_DB with the checkout"
check_odoo "$CHECK_DB" "$CHECK_LOG" --update="$ADDON_NAME" --stop-after-init
check_phase "$CHECK_DB" "$CHECK_LOG" "$SCRIPT" check
log "The update kept the data and the configuration, without duplicates."
