# shellcheck shell=bash
# Shared set-up for scripts/run.sh and scripts/test.sh.
#
# Every step is idempotent: it checks first and only acts when something is
# missing, so running the commands again is fast.
#
# Options (environment variables):
#   ODOO_SRC        Odoo 18.0 source tree (folder holding odoo-bin).
#   CR_CACHE        cache folder for the Odoo source, virtualenv and addons path
#                   (default: ${XDG_CACHE_HOME:-~/.cache}/customer_relationship).
#   PYTHON          Python 3.10-3.12 interpreter for the virtualenv (default python3).

set -euo pipefail

ADDON_NAME=customer_relationship
ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CR_CACHE=${CR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/customer_relationship}
ODOO_DEFAULT_SRC=$CR_CACHE/odoo-18.0
ODOO_DOWNLOAD_URL=${ODOO_DOWNLOAD_URL:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}
PYTHON=${PYTHON:-python3}

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() {
    printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2
    exit 2
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "'$*' needs root privileges and sudo is not installed."
    fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sudo -u postgres sh -c "$*"
    fi
}

# --- Odoo source ----------------------------------------------------------

is_odoo_src() { [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ]; }

odoo_src_help() {
    cat >&2 <<EOF

The Odoo 18.0 source was not found and could not be downloaded.
Provide it in one of these ways, then run the command again:

  * point ODOO_SRC at an Odoo 18.0 source tree (the folder holding odoo-bin):
        ODOO_SRC=/path/to/odoo-18.0 bash $0
  * or unpack it into the default cache folder:
        mkdir -p $ODOO_DEFAULT_SRC
        git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo $ODOO_DEFAULT_SRC
    (or: curl -L $ODOO_DOWNLOAD_URL | tar -xz --strip-components=1 -C $ODOO_DEFAULT_SRC)
EOF
}

find_odoo_src() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo_src "$ODOO_SRC" || {
            odoo_src_help
            die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin)."
        }
        ODOO_SRC=$(cd "$ODOO_SRC" && pwd)
    elif is_odoo_src "$ODOO_DEFAULT_SRC"; then
        ODOO_SRC=$ODOO_DEFAULT_SRC
    else
        download_odoo_src
        ODOO_SRC=$ODOO_DEFAULT_SRC
    fi
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" ||
        die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py)."
    export ODOO_SRC
    log "Odoo source: $ODOO_SRC"
}

download_odoo_src() {
    command -v curl >/dev/null 2>&1 || die "curl is needed to download Odoo; install it or set ODOO_SRC."
    log "Downloading the Odoo 18.0 source from $ODOO_DOWNLOAD_URL"
    local tmp
    mkdir -p "$CR_CACHE"
    tmp=$(mktemp -d "$CR_CACHE/odoo-download.XXXXXX")
    # A short connect timeout and a stall detector: without network this gives
    # up in seconds; a slow but moving download is allowed to finish.
    if curl -fsSL --connect-timeout 15 --speed-limit 2000 --speed-time 30 \
        "$ODOO_DOWNLOAD_URL" | tar -xz --strip-components=1 -C "$tmp" &&
        is_odoo_src "$tmp"; then
        rm -rf "$ODOO_DEFAULT_SRC"
        mv "$tmp" "$ODOO_DEFAULT_SRC"
    else
        rm -rf "$tmp"
        odoo_src_help
        die "Could not download the Odoo 18.0 source."
    fi
}

# --- Debian packages --------------------------------------------------------

DEBIAN_PACKAGES=(
    postgresql postgresql-client
    build-essential python3-dev python3-venv
    libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev
    libjpeg-dev zlib1g-dev libffi-dev libssl-dev
    git curl
)

ensure_packages() {
    local wanted=("${DEBIAN_PACKAGES[@]}" "$@") missing=() pkg
    command -v dpkg-query >/dev/null 2>&1 || {
        log "Not a Debian-like system: skipping system packages."
        return
    }
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
        die "apt-get update failed."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
        die "Could not install: ${missing[*]}"
}

chromium_bin() {
    local b
    for b in chromium chromium-browser google-chrome; do
        command -v "$b" >/dev/null 2>&1 && {
            command -v "$b"
            return
        }
    done
}

ensure_chromium() {
    [ -n "$(chromium_bin)" ] && return
    if command -v apt-get >/dev/null 2>&1 && apt-cache show chromium >/dev/null 2>&1; then
        ensure_packages chromium
    else
        # Ubuntu ships chromium as a snap only; Debian's package is 'chromium'.
        ensure_packages chromium-browser
    fi
    [ -n "$(chromium_bin)" ] || die "Chromium is needed for the tours and could not be installed."
}

# --- PostgreSQL ------------------------------------------------------------

ensure_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        log "Starting PostgreSQL"
        if command -v pg_lsclusters >/dev/null 2>&1; then
            local ver name
            while read -r ver name _; do
                as_root pg_ctlcluster "$ver" "$name" start || true
            done < <(pg_lsclusters -h)
        fi
        pg_isready -q 2>/dev/null || as_root service postgresql start || true
        local i
        for i in $(seq 1 30); do
            pg_isready -q 2>/dev/null && break
            sleep 1
        done
        pg_isready -q 2>/dev/null || die "PostgreSQL did not start (pg_isready)."
    fi
    # Odoo connects with the current user's name over the local socket, and
    # refuses to run as 'postgres'.
    local me
    me=$(id -un)
    [ "$me" != postgres ] || die "Do not run this as the 'postgres' user."
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        log "Creating PostgreSQL role $me"
        as_postgres "createuser --createdb --superuser '$me'" ||
            die "Could not create the PostgreSQL role '$me'."
    fi
}

# --- Python virtualenv -------------------------------------------------------

ensure_venv() {
    local pyver key
    pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    case $pyver in
    3.10 | 3.11 | 3.12) ;;
    *) die "Odoo 18.0 needs Python 3.10 to 3.12; $PYTHON is $pyver. Set PYTHON=python3.x." ;;
    esac
    VENV=$CR_CACHE/venv-$pyver
    key=$(cat "$ODOO_SRC/requirements.txt" "$ADDON_DIR/scripts/requirements-dev.txt" | sha256sum | cut -c1-16)
    if [ -f "$VENV/.ready" ] && [ "$(cat "$VENV/.ready")" = "$key" ]; then
        export VENV
        return
    fi
    log "Building the virtualenv $VENV (once; cached afterwards)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    # cbor2 builds from source and needs pkg_resources, gone in setuptools 70.
    local constraints=$VENV/build-constraints.txt
    echo "setuptools<70" >"$constraints"
    "$VENV/bin/pip" install -q --build-constraint "$constraints" -r "$ODOO_SRC/requirements.txt" ||
        die "Installing Odoo's requirements failed."
    "$VENV/bin/pip" install -q --build-constraint "$constraints" -r "$ADDON_DIR/scripts/requirements-dev.txt" ||
        die "Installing the development requirements failed."
    echo "$key" >"$VENV/.ready"
    export VENV
}

# --- Node tools (prettier) ---------------------------------------------------

# node_modules/ as package-lock.json pins it (npm ci), for the prettier hook of
# .pre-commit-config.yaml; installed again only when the lock file changes.
ensure_node_tools() {
    local key stamp=$ADDON_DIR/node_modules/.lock-sha256
    command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
    key=$(sha256sum <"$ADDON_DIR/package-lock.json" | cut -c1-16)
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && return
    log "Installing the Node tools of package-lock.json into node_modules/"
    (cd "$ADDON_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
        die "npm ci failed."
    echo "$key" >"$stamp"
}

# --- Addons path -------------------------------------------------------------

# Odoo finds an addon by its folder name, so the checkout (whatever it is
# called) is linked as customer_relationship in a folder of its own.
ensure_addons_path() {
    local key
    key=$(printf '%s' "$ADDON_DIR" | sha256sum | cut -c1-12)
    EXTRA_ADDONS=$CR_CACHE/addons-$key
    mkdir -p "$EXTRA_ADDONS"
    ln -sfn "$ADDON_DIR" "$EXTRA_ADDONS/$ADDON_NAME"
    ADDONS_PATH=$ODOO_SRC/addons,$EXTRA_ADDONS
    export EXTRA_ADDONS ADDONS_PATH
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }

setup_all() {
    find_odoo_src
    ensure_packages "$@"
    ensure_postgres
    ensure_venv
    ensure_addons_path
}
