#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages for the notebook runner's tests: Chromium opens the HTML case report headless; Jupyter's nbconvert
# runs the template notebooks in a real Jupyter client. Installed only when missing (CI runs as root).
missing=()
for pkg in chromium jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-deps: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Local tools (.config/dotnet-tools.json): dotnet-repl and dotnet-interactive, the real hosts the template notebooks
# and the extension's smoke test run in.
dotnet tool restore >/dev/null
# dotnet-interactive's Jupyter kernelspec (.net-csharp), which nbconvert starts; it runs `dotnet interactive`, so the
# notebook's folder must be inside this clone (where the tool manifest is found).
if ! jupyter kernelspec list 2>/dev/null | grep -q '\.net-csharp'; then
  dotnet tool run dotnet-interactive -- jupyter install >/dev/null
fi

# s3rver (an S3-compatible server) for the acquisition tests, which start it on 127.0.0.1 themselves, and dt-sql-parser
# (Trino/Hive grammars) that validates every statement the Athena path emits (build/node/sql-grammar.mjs).
# Pinned by build/node/package-lock.json; `npm ci` installs exactly that tree into build/node/node_modules.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-test-deps: node and npm are needed (Node.js 18 or later) for the S3 acquisition tests" >&2
  exit 1
fi
if [ ! -x build/node/node_modules/.bin/s3rver ] || [ ! -f build/node/node_modules/dt-sql-parser/package.json ] || [ build/node/package-lock.json -nt build/node/node_modules/.package-lock.json ]; then
  (cd build/node && npm ci --no-audit --no-fund)
fi

echo "test dependencies: ok"
