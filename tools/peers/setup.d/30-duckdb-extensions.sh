#!/usr/bin/env bash
# Installs the DuckDB extensions that memory loads offline (ducklake, httpfs, postgres_scanner) into
# .peers/duckdb-extensions/v<engine>/linux_amd64/, the layout DuckDB's extension_directory expects. The binaries
# come from pinned PyPI wheels (30-duckdb-extensions.txt, hashes checked); see ADR 0040. Idempotent.
set -euo pipefail
: "${ROOT:?}" "${PEERS:?}" "${PYTHON:?}"
ENGINE=v1.5.5
PLATFORM=linux_amd64
pins="$ROOT/tools/peers/setup.d/30-duckdb-extensions.txt"
target="$PEERS/duckdb-extensions/$ENGINE/$PLATFORM"
stamp="$PEERS/duckdb-extensions/.pins.sha256"
want="$(sha256sum "$pins" | cut -d' ' -f1)"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "auraison: no DuckDB extension wheels for $(uname -s)-$(uname -m) are pinned; DuckLake tests need Linux x86-64" >&2
  exit 0
fi
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
   && [ -f "$target/ducklake.duckdb_extension" ] && [ -f "$target/httpfs.duckdb_extension" ] \
   && [ -f "$target/postgres_scanner.duckdb_extension" ]; then
  exit 0
fi

echo "auraison: installing DuckDB $ENGINE extensions into .peers/duckdb-extensions"
wheels="$PEERS/duckdb-wheels"
rm -rf "$wheels" "$PEERS/duckdb-extensions"
mkdir -p "$wheels" "$target"
"$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 --python-version 3.11 --implementation py \
  --require-hashes -r "$pins" -d "$wheels"
for whl in "$wheels"/*.whl; do
  "$PYTHON" - "$whl" "$target" "$ENGINE" <<'PY'
import sys, zipfile, os, shutil
whl, target, engine = sys.argv[1:4]
found = 0
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        if name.endswith(".duckdb_extension") and f"/{engine}/" in name:
            with z.open(name) as src, open(os.path.join(target, os.path.basename(name)), "wb") as dst:
                shutil.copyfileobj(src, dst)
            found += 1
if found == 0:
    sys.exit(f"auraison: {whl} holds no {engine} extension binary")
PY
done
rm -rf "$wheels"
echo "$want" > "$stamp"
