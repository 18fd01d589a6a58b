#!/usr/bin/env bash
# Installs the model gateway's Node test peers into .peers/gateway-node from the committed lock file:
# the official OpenAI and Anthropic TypeScript SDKs (clients in the gateway's *IT tests) and the open-source
# Portkey gateway (the benchmark's comparison peer). Idempotent: skipped when the lock file did not change.
set -euo pipefail
: "${ROOT:?}" "${PEERS:?}"
src="$ROOT/tools/peers/gateway"
dest="$PEERS/gateway-node"
stamp="$dest/.lock.sha256"
want="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -d "$dest/node_modules" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "auraison: the gateway test peers need Node.js 20+ with npm; install it, e.g. apt-get install nodejs npm" >&2
  exit 1
fi
echo "auraison: installing the gateway's Node test peers into .peers/gateway-node"
rm -rf "$dest"
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
# the Portkey package runs patch-package on install; its scripts are needed for it to start
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
