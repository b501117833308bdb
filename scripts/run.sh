#!/usr/bin/env bash
# Serve Odoo 18.0 with customer_relationship installed in a demo database.
# The first run creates the database with demo data; later runs update the
# addon in it, so code changes are picked up. Stop with Ctrl-C.
#
# Options (environment variables, besides those of scripts/lib.sh):
#   ODOO_DB      database name (default customer_relationship_demo)
#   ODOO_PORT    HTTP port (default 8069)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ODOO_DB=${ODOO_DB:-customer_relationship_demo}
ODOO_PORT=${ODOO_PORT:-8069}

setup_all

installed=$(psql -d "$ODOO_DB" -Atqc \
    "select state from ir_module_module where name = '$ADDON_NAME'" 2>/dev/null || true)
if [ "$installed" = installed ]; then
    log "Updating $ADDON_NAME in the database $ODOO_DB"
    module_option=(--update="$ADDON_NAME")
else
    log "Creating the database $ODOO_DB with demo data (a few minutes, once)"
    dropdb --if-exists --force "$ODOO_DB"
    module_option=(--init="$ADDON_NAME")
fi

# Install or update first, then serve: the web client never waits on an install.
odoo_bin \
    --addons-path="$ADDONS_PATH" \
    --database="$ODOO_DB" \
    --db-filter="^$ODOO_DB\$" \
    --http-port="$ODOO_PORT" \
    --max-cron-threads=0 \
    --stop-after-init \
    "${module_option[@]}" ||
    die "Installing $ADDON_NAME into $ODOO_DB failed (see the log above)."

odoo_bin \
    --addons-path="$ADDONS_PATH" \
    --database="$ODOO_DB" \
    --db-filter="^$ODOO_DB\$" \
    --http-port="$ODOO_PORT" \
    --gevent-port="$((ODOO_PORT + 3))" &
odoo_pid=$!
trap 'kill $odoo_pid 2>/dev/null; wait $odoo_pid' INT TERM

until curl -fsS -o /dev/null "http://localhost:$ODOO_PORT/web/login" 2>/dev/null; do
    kill -0 $odoo_pid 2>/dev/null || die "Odoo stopped before it served the web client (see its log above)."
    sleep 2
done
cat >&2 <<MSG

  Odoo is running with $ADDON_NAME and demo data:

      URL:      http://localhost:$ODOO_PORT/odoo
      Login:    admin
      Password: admin
      Database: $ODOO_DB

  Stop it with Ctrl-C.

MSG
wait $odoo_pid
