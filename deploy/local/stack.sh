#!/usr/bin/env bash
# Starts the whole platform locally: PostgreSQL and NATS (found, started privately, or
# installed), the local OpenID provider, migrations, the five services and the officer
# console. Ctrl-C stops
# everything cleanly. With --demo it also loads a small demo borough to explore.
set -euo pipefail
demo=false
case "${1:-}" in
  --demo) demo=true ;;
  "") ;;
  *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."
source deploy/local/servers.sh

services=(register temporary-accommodation nominations rent documents)
declare -A port=([register]=50051 [temporary-accommodation]=50052 [nominations]=50053 [rent]=50054 [documents]=50055)
# The databases' names begin with HOUSING_DB_PREFIX: the browser tests run their demo borough
# in databases of their own, apart from a developer's.
db="${HOUSING_DB_PREFIX:-housing}"
declare -A database=([register]=${db}_register [temporary-accommodation]=${db}_accommodation
                     [nominations]=${db}_nominations [rent]=${db}_rent [documents]=${db}_documents)
# Each service's own client at the local provider (deploy/oidc/realm.json): local only.
declare -A client_secret=([register]=local-register-secret [temporary-accommodation]=local-accommodation-secret
                          [nominations]=local-nominations-secret [rent]=local-rent-secret
                          [documents]=local-documents-secret)
partner_port=50063
pids=()

# The platform's ports (and the private PostgreSQL and NATS) lie in Linux's ephemeral range,
# 32768-60999: a connection out of a service that has started (to PostgreSQL, NATS, the
# provider) may be given the port of one still to start, and hold it for as long as it
# lives. Where this user may, those ports are kept out of the range for outgoing
# connections; elsewhere a service waits a while for its port, which is usually enough.
reserve_ports() {
  local reserved=/proc/sys/net/ipv4/ip_local_reserved_ports current
  current=$(cat "$reserved" 2>/dev/null) || return 0
  { printf '%s\n' "${current:+$current,}50051-50055,50063,$PRIVATE_PG_PORT,$PRIVATE_NATS_PORT" >"$reserved"; } 2>/dev/null || true
}
reserve_ports

interrupted=false
stop_all() {
  # A second Ctrl-C must not cut the stop short and leave servers behind.
  trap '' INT TERM
  trap - EXIT
  say ""; say "stopping services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_private_servers
  say "stopped"
}
# Ctrl-C reaches the services too; the script notes it and stops the rest on the way out.
trap 'interrupted=true' INT TERM
trap stop_all EXIT

# Waits up to a minute for a port; a Ctrl-C meanwhile stops the stack at once rather than
# waiting out the minute for a server the Ctrl-C has just stopped.
await_port() {
  for _ in $(seq 600); do
    $interrupted && exit 130
    port_open "$1" && return 0
    sleep 0.1
  done
  $interrupted && exit 130
  port_open "$1"
}

ensure_servers
ensure_oidc 9400
command -v openssl >/dev/null || apt_install openssl
if [ ! -d services/console/node_modules/govuk-frontend ]; then
  say "installing the console's GOV.UK Design System (npm ci in services/console)"
  (cd services/console && npm ci --no-audit --no-fund --silent)
fi
say "building the services"
cargo build --bins --locked
# Cargo builds where CARGO_TARGET_DIR says, when it is set.
bin="${CARGO_TARGET_DIR:-target}/debug"
# The authority partners' certificates come from, and nominations' partner port certificate.
pki="$HOUSING_DATA/pki"
"$bin/housing-demo" pki "$pki"

# A service that stops before it listens has said why in its log: show the end of it, so
# a CI run's output carries the reason.
not_started() {
  # Stopped by a Ctrl-C while starting is not a failure to start.
  $interrupted && exit 130
  say "$1 did not start: see $2"
  tail -n 20 "$2" >&2 || true
  exit 1
}
mkdir -p "$HOUSING_DATA/logs"
env_for() {
  local service="$1"
  env_for=(HOUSING__DATABASE__URL="$HOUSING_PG_URL/${database[$service]}" HOUSING__NATS__URL="$HOUSING_NATS_URL"
           HOUSING__GRPC__PORT="${port[$service]}" HOUSING__GRPC__DRAIN_SECONDS=1
           HOUSING__AUTH__ISSUER="$HOUSING_OIDC_ISSUER" HOUSING__AUTH__CLIENT_SECRET="${client_secret[$service]}")
  if [ "$service" = nominations ]; then
    env_for+=(HOUSING__SERVICE__PARTNER_TLS__PORT="$partner_port"
              HOUSING__SERVICE__PARTNER_TLS__CERTIFICATE_FILE="$pki/server.pem"
              HOUSING__SERVICE__PARTNER_TLS__KEY_FILE="$pki/server.key"
              HOUSING__SERVICE__PARTNER_TLS__CLIENT_CA_FILE="$pki/ca.pem")
  fi
}
# Every migration first, then every service at once, each taking its port before it
# connects anywhere: the ports lie in Linux's ephemeral range, and a running service's
# connections could otherwise be given a port another has yet to take.
for service in "${services[@]}"; do
  env_for "$service"
  env "${env_for[@]}" "$bin/$service" migrate >>"$HOUSING_DATA/logs/$service.log" 2>&1 ||
    not_started "$service (its migration)" "$HOUSING_DATA/logs/$service.log"
done
for service in "${services[@]}"; do
  env_for "$service"
  env "${env_for[@]}" "$bin/$service" serve >>"$HOUSING_DATA/logs/$service.log" 2>&1 &
  pids+=($!)
done

for service in "${services[@]}"; do
  await_port "${port[$service]}" || not_started "$service" "$HOUSING_DATA/logs/$service.log"
  say "  $service ready on 127.0.0.1:${port[$service]}"
done

# The officer console, signing officers in as its own client at the provider.
console_env=(HOUSING__DATABASE__URL="$HOUSING_PG_URL/${db}_console" HOUSING__AUTH__ISSUER="$HOUSING_OIDC_ISSUER"
             HOUSING__AUTH__CLIENT_SECRET=local-console-secret
             HOUSING__SERVICE__ASSETS_DIR="$PWD/services/console/node_modules")
env "${console_env[@]}" "$bin/console" migrate >>"$HOUSING_DATA/logs/console.log" 2>&1 ||
  not_started "the console (its migration)" "$HOUSING_DATA/logs/console.log"
env "${console_env[@]}" "$bin/console" serve >>"$HOUSING_DATA/logs/console.log" 2>&1 &
pids+=($!)
await_port 8080 || not_started "the console" "$HOUSING_DATA/logs/console.log"
say "  console ready on http://127.0.0.1:8080"

if $demo; then
  say "loading the demo borough"
  HOUSING_DEMO_ISSUER="$HOUSING_OIDC_ISSUER" "$bin/housing-demo" load "$pki" >&2
fi

say ""
say "The housing platform is running:"
say "  officer console          http://127.0.0.1:8080  (sign in as a demo officer below)"
for service in "${services[@]}"; do printf '  %-24s 127.0.0.1:%s\n' "$service" "${port[$service]}" >&2; done
printf '  %-24s 127.0.0.1:%s (mutual TLS, authority %s)\n' "nominations partners" "$partner_port" "$pki/ca.pem" >&2
say "  OpenID provider          $HOUSING_OIDC_ISSUER"
say "  PostgreSQL               ${HOUSING_PG_URL#postgres://}"
say "  NATS                     ${HOUSING_NATS_URL#nats://}"
say ""
say "Demo sign-ins at the OpenID provider (username / password: roles):"
node -e 'for (const p of require(process.argv[1]).people) console.error(`  ${p.username.padEnd(20)} ${p.password.padEnd(18)} ${p.roles.join(", ") || "(no role)"}`)' \
  "$PWD/deploy/oidc/realm.json"
say ""
say "Logs: $HOUSING_DATA/logs"
say "One household from application to placement: the README's walk-through, with"
say "  $bin/housing-demo call SERVICE METHOD --as USER JSON"
say "Or with grpcurl: grpcurl -plaintext 127.0.0.1:50051 list"
say "A token for grpcurl: $bin/housing-demo token alloc.officer api://housing-register"
say "Ctrl-C stops everything."
# Runs until Ctrl-C, or until a service stops by itself (only on failure). Checked by
# polling rather than `wait -n`: a service that died while the lines above were printed
# has already been reaped, and `wait -n` would go on waiting for the others.
stopped=""
while ! $interrupted && [ -z "$stopped" ]; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { stopped=$pid; break; }
  done
  [ -n "$stopped" ] || sleep 0.5
done
if ! $interrupted; then
  say "a service stopped (process $stopped); see $HOUSING_DATA/logs"
fi
