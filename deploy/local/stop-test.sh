#!/usr/bin/env bash
# The stack command stops exactly what it started. It runs here in a network namespace of
# its own, where nothing listens on loopback (as on a fresh machine), so it starts private
# PostgreSQL, NATS and OpenID provider; then it is stopped as a person stops it (Ctrl-C to
# its process group), and again after one of its services has died. Each time no process is
# left in the namespace and no port is open. The test command runs it after the browser
# tests: it needs the built binaries and the node packages, since the namespace has no
# network.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '%s\n' "$*" >&2; }

ns="housing-stop-$$"
data=$(mktemp -d)
cleanup() {
  local pid
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
# The private PostgreSQL runs as the postgres user, who must reach its data folder.
chmod 755 "$data"

ports=(50051 50052 50053 50054 50055 50063 8080 9400 55432 54222)
in_ns() { ip netns exec "$ns" "$@"; }
open_ports() {
  local p
  for p in "${ports[@]}"; do
    if in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then echo "$p"; fi
  done
}
all_up() { [ "$(open_ports | wc -l)" -eq "${#ports[@]}" ]; }

# One start and stop. $1: ctrl-c, ctrl-c-twice (the second while it stops), or the name of
# a service to kill.
trial() {
  local how="$1" log="$data/stack-$1.log" pid
  # Job control: the stack gets a process group of its own, as at a terminal.
  set -m
  # Nothing found by the caller (the test command's own servers) may leak in.
  in_ns env -u HOUSING_PG_URL -u HOUSING_NATS_URL -u HOUSING_OIDC_ISSUER \
    HOUSING_DATA="$data/stack" ./deploy/local/stack.sh >"$log" 2>&1 &
  pid=$!
  set +m
  for _ in $(seq 300); do
    all_up && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! all_up; then
    say "the stack did not come up in its namespace:"; tail -n 30 "$log" >&2; return 1
  fi
  case "$how" in
    ctrl-c)
      say "pressing Ctrl-C"
      kill -INT -- "-$pid" ;;
    ctrl-c-twice)
      say "pressing Ctrl-C, and again while it stops"
      kill -INT -- "-$pid"; sleep 0.3; kill -INT -- "-$pid" 2>/dev/null || true ;;
    *)
      local victim
      victim=$(for p in $(ip netns pids "$ns"); do
        # A process may end between listing and reading: its cmdline is then gone.
        if { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -q "debug/$how serve"; then echo "$p"; fi
      done | head -n 1)
      [ -n "$victim" ] || { say "no $how process found"; return 1; }
      say "killing $how ($victim) while the stack runs"
      kill -KILL "$victim" ;;
  esac
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "the stack command did not stop:"; tail -n 30 "$log" >&2; return 1
  fi
  wait "$pid" 2>/dev/null || true
  grep -q '^stopped$' "$log" || { say "the stack did not say it stopped:"; tail -n 30 "$log" >&2; return 1; }
  sleep 1
  local left open
  left=$(ip netns pids "$ns" | tr '\n' ' ')
  open=$(open_ports | tr '\n' ' ')
  if [ -n "$left" ] || [ -n "$open" ]; then
    say "left behind: processes [$left] ports [$open]"
    for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline" >&2 2>/dev/null; echo >&2; done
    return 1
  fi
  say "stopped cleanly: nothing left running, every port closed"
}

trial ctrl-c
# Runs after the first, reusing its data: a service dying under it, and an impatient person.
trial rent
trial ctrl-c-twice
