#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
# dotnet-repl (local tool, .config/dotnet-tools.json): the real host the notebook extension's smoke test runs in.
dotnet tool restore
echo "test dependencies: ok"
