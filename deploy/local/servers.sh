# Finds PostgreSQL and NATS for the local stack and the tests, or starts private ones under
# a data folder, installing the Debian packages first when they are missing; and starts the
# local OpenID provider (deploy/oidc). Sourced by stack.sh and test.sh; sets HOUSING_PG_URL
# (no database name), HOUSING_NATS_URL and, from ensure_oidc, HOUSING_OIDC_ISSUER.

HOUSING_DATA="${HOUSING_DATA:-$PWD/.stack-data}"
PRIVATE_PG_PORT=55432
PRIVATE_NATS_PORT=54222
STARTED_PG=""
STARTED_NATS=""
STARTED_OIDC=""

say() { printf '%s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to run: $*"; return 1; fi
}

apt_install() {
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bin() {
  local found
  found=$(command -v "$1" 2>/dev/null) && { echo "$found"; return; }
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && echo "$found"
}

ensure_postgres() {
  if [ -n "${HOUSING_PG_URL:-}" ]; then return; fi
  if port_open 5432; then HOUSING_PG_URL="postgres://postgres@127.0.0.1:5432"; return; fi
  if port_open "$PRIVATE_PG_PORT"; then HOUSING_PG_URL="postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT"; return; fi
  [ -n "$(pg_bin initdb)" ] || apt_install postgresql
  local initdb pg_ctl data="$HOUSING_DATA/postgres" run=()
  initdb=$(pg_bin initdb); pg_ctl=$(pg_bin pg_ctl)
  mkdir -p "$data"
  # PostgreSQL will not run as root: use the postgres user the package created.
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$data"; run=(runuser -u postgres --); fi
  [ -f "$data/PG_VERSION" ] || "${run[@]}" "$initdb" -U postgres --auth=trust -D "$data" >/dev/null
  say "starting a private PostgreSQL on 127.0.0.1:$PRIVATE_PG_PORT ($data)"
  "${run[@]}" "$pg_ctl" -D "$data" -l "$data/log" -w \
    -o "-p $PRIVATE_PG_PORT -c listen_addresses=127.0.0.1 -k $data" start >/dev/null
  STARTED_PG="${run[*]} $pg_ctl -D $data -m fast stop"
  HOUSING_PG_URL="postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT"
}

ensure_nats() {
  if [ -n "${HOUSING_NATS_URL:-}" ]; then return; fi
  if port_open 4222; then HOUSING_NATS_URL="nats://127.0.0.1:4222"; return; fi
  if port_open "$PRIVATE_NATS_PORT"; then HOUSING_NATS_URL="nats://127.0.0.1:$PRIVATE_NATS_PORT"; return; fi
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p "$HOUSING_DATA/nats"
  say "starting a private NATS with JetStream on 127.0.0.1:$PRIVATE_NATS_PORT"
  "$bin" -js -a 127.0.0.1 -p "$PRIVATE_NATS_PORT" -sd "$HOUSING_DATA/nats" >"$HOUSING_DATA/nats.log" 2>&1 &
  STARTED_NATS=$!
  for _ in $(seq 100); do port_open "$PRIVATE_NATS_PORT" && break; sleep 0.1; done
  HOUSING_NATS_URL="nats://127.0.0.1:$PRIVATE_NATS_PORT"
}

# The local OpenID provider on 127.0.0.1:$1: node-oidc-provider from npm with the
# repository's demo people and clients. Node and npm come from Debian's packages when
# missing; the provider's packages from the committed lock file.
ensure_oidc() {
  local port="$1"
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
  if [ ! -d deploy/oidc/node_modules/oidc-provider ]; then
    say "installing the local OpenID provider (npm ci in deploy/oidc)"
    (cd deploy/oidc && npm ci --no-audit --no-fund --silent)
  fi
  HOUSING_OIDC_ISSUER="http://127.0.0.1:$port"
  if port_open "$port"; then return; fi
  mkdir -p "$HOUSING_DATA/oidc"
  say "starting the local OpenID provider on $HOUSING_OIDC_ISSUER"
  node deploy/oidc/provider.mjs serve --issuer "$HOUSING_OIDC_ISSUER" \
    --keys "$HOUSING_DATA/oidc/keys-$port.json" >"$HOUSING_DATA/oidc-$port.log" 2>&1 &
  STARTED_OIDC=$!
  for _ in $(seq 100); do port_open "$port" && break; sleep 0.1; done
  port_open "$port" || { say "the OpenID provider did not start: see $HOUSING_DATA/oidc-$port.log"; return 1; }
  export HOUSING_OIDC_ISSUER
}

# Stops exactly what this script started. No step may end the script before the rest:
# under `set -e`, `wait` on a killed server returns its signal's status.
stop_private_servers() {
  local pid
  for pid in "$STARTED_OIDC" "$STARTED_NATS"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$STARTED_PG" ]; then $STARTED_PG >/dev/null 2>&1 || true; fi
  STARTED_NATS=""; STARTED_PG=""; STARTED_OIDC=""
}

ensure_servers() {
  ensure_postgres
  ensure_nats
  export HOUSING_PG_URL HOUSING_NATS_URL
}
