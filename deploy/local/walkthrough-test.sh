#!/usr/bin/env bash
# Runs the README's walk-through, its shell blocks in order in one shell, against the stack
# already running on its usual ports (the test command runs it with the browser tests' stack),
# so the walk-through stays true.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=$(awk '
  /^## / { inside = ($0 ~ /^## Walk-through/) }
  inside && /^```sh$/ { block = 1; next }
  inside && /^```$/ { block = 0; next }
  inside && block { print }
' README.md)
[ -n "$script" ] || { echo "no walk-through in README.md" >&2; exit 1; }
bash -euo pipefail -c "$script"
