#!/usr/bin/env bash
# Installs Pi and the Node it needs into edge-agent/node_modules (project-local, nothing global) from the committed
# package-lock.json, then type-checks the Pi extension with tsc. Skips the install when the lock file is unchanged.
set -euo pipefail
cd "$(dirname "$0")/../../.."            # edge-agent/
# npm's cache stays in the project (nothing global)
export npm_config_cache="$PWD/../.peers/cache/npm"
if ! command -v npm >/dev/null 2>&1; then
  echo "auraison: npm is needed to install Pi (any Node 18+ with npm; Pi's own Node 22 comes from the npm registry)" >&2
  exit 1
fi
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.auraison-lock.sha256"
if [ ! -x node_modules/.bin/node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "auraison: installing Pi into edge-agent/node_modules"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
node_modules/.bin/node node_modules/typescript/bin/tsc -p src/main/pi/tsconfig.json
