#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
# dotnet-repl (local tool, .config/dotnet-tools.json): the real host the notebook extension's smoke test runs in.
dotnet tool restore

# s3rver (an S3-compatible server) for the acquisition tests, which start it on 127.0.0.1 themselves.
# Pinned by build/node/package-lock.json; `npm ci` installs exactly that tree into build/node/node_modules.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-test-deps: node and npm are needed (Node.js 18 or later) for the S3 acquisition tests" >&2
  exit 1
fi
if [ ! -x build/node/node_modules/.bin/s3rver ] || [ build/node/package-lock.json -nt build/node/node_modules/.package-lock.json ]; then
  (cd build/node && npm ci --no-audit --no-fund)
fi

echo "test dependencies: ok"
