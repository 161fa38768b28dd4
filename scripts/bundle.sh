#!/usr/bin/env bash
# The production bundle: the compiled bot (npm run build) with only its runtime packages (npm ci --omit=dev),
# in a folder of its own, and zipped next to it for `az webapp deploy`. .ci/run boots this same bundle.
# Usage: bash scripts/bundle.sh [folder]   (default .deploy/app; writes <folder>.zip when `zip` is installed,
# unless BUNDLE_ZIP=0)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-.deploy/app}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac

npm run build
rm -rf "$target" "$target.zip"
mkdir -p "$target"
# packages/: local stand-ins that package.json overrides point to (spdy-unused).
cp -r dist package.json package-lock.json packages "$target/"
(cd "$target" && npm ci --omit=dev --prefer-offline --no-audit --no-fund)
for dev_only in azurite @microsoft/m365agentsplayground tsx typescript jest; do
  if [ -e "$target/node_modules/$dev_only" ]; then echo "bundle: $dev_only must not be in the production install" >&2; exit 1; fi
done
if [ "${BUNDLE_ZIP:-1}" = 0 ]; then
  echo "bundle: $target"
elif command -v zip >/dev/null; then
  (cd "$target" && zip -qr "$target.zip" .)
  echo "bundle: $target.zip ($(du -sh "$target.zip" | cut -f1))"
else
  echo "bundle: $target (install zip to get $target.zip for az webapp deploy)"
fi
