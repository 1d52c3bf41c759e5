#!/usr/bin/env bash
# Cold start of the extension in Jupyter, phase by phase: kernel start, the `#r "nuget:…"` cell (package restore,
# assembly load, extension.dib), `#!flow-case --path` on an existing case (DuckDB native load and open) and the first
# `#!flow-sql` result. Packs the three packages with a fresh version into a private feed, builds a small case once, runs
# one warm-up kernel (a version's first restore costs more), then RUNS measured kernels (default 3) and prints each and
# the median. Also times `dotnet restore` of a one-reference project alone: the host's restore without the host.
# Usage: build/measure-cold-start.sh [RUNS]   (needs what build/install-test-deps.sh installs)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
WORK=${FLOWNB_COLDSTART_WORK:-$(mktemp -d /tmp/flownb-coldstart-XXXXXX)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export NUGET_PACKAGES="$WORK/packages" NUGET_FALLBACK_PACKAGES="${NUGET_FALLBACK_PACKAGES:-$HOME/.nuget/packages}"
# Packed once per work folder (FLOWNB_COLDSTART_WORK keeps one between runs; delete it to measure a new build).
if [ ! -f "$WORK/version" ]; then
  V=0.1.0-coldstart.$(date +%s)
  for p in src/FlowNotebooks src/FlowNotebooks.Scenarios src/FlowNotebooks.Interactive; do
    dotnet pack "$p" -c Release -o "$WORK/feed" -p:Version="$V" --artifacts-path "$WORK/artifacts" -nodeReuse:false >/dev/null
  done
  echo "$V" > "$WORK/version"
fi
V=$(cat "$WORK/version")
if [ ! -f "$WORK/case.duckdb" ]; then
  dotnet run --project src/FlowNotebooks.Cli -c Release -- generate --formats text --out "$WORK/evidence" >/dev/null 2>&1
  dotnet run --project src/FlowNotebooks.Cli -c Release -- ingest "$WORK/evidence" --case "$WORK/case.duckdb" --quiet >/dev/null
fi

# The host's restore on its own: a project with the one package reference, restored from the feed.
mkdir -p "$WORK/restore"
cat > "$WORK/restore/r.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
<ItemGroup><PackageReference Include="FlowNotebooks.Interactive" Version="$V" /></ItemGroup></Project>
XML
restore() { rm -rf "$WORK/restore/obj"; local t0; t0=$(date +%s.%N); dotnet restore "$WORK/restore/r.csproj" --source "$WORK/feed" --source https://api.nuget.org/v3/index.json -nodeReuse:false >/dev/null; echo "$(date +%s.%N) - $t0" | bc; }
restore >/dev/null   # first sight of the version
echo "dotnet restore alone (warm): $(restore) s"

# The kernel runs `dotnet interactive`, a local tool of this clone: it starts in the clone, as nbconvert does in the tests.
/usr/bin/python3 - "$WORK" "$V" "$RUNS" "$PWD" <<'PY'
import statistics, sys, time
from jupyter_client.manager import KernelManager
work, version, runs, clone = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cells = [("#r (restore, load, extension.dib)", f'#i "nuget:{work}/feed"\n#r "nuget:FlowNotebooks.Interactive, {version}"'),
         ("#!flow-case --path (DuckDB load, open)", f'#!flow-case --path {work}/case.duckdb'),
         ("first #!flow-sql result", "#!flow-sql\nSELECT count(*) AS records FROM flows")]

def one():
    t0 = time.monotonic()
    km = KernelManager(kernel_name=".net-csharp")
    km.start_kernel(cwd=clone)
    kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=300)
    times = [("kernel start to ready", time.monotonic() - t0)]
    try:
        for name, code in cells:
            t = time.monotonic()
            msg_id = kc.execute(code)
            while True:
                m = kc.get_iopub_msg(timeout=300)
                if m["parent_header"].get("msg_id") != msg_id: continue
                if m["msg_type"] == "error": raise RuntimeError(f"{name}: {m['content']['evalue']}")
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle": break
            times.append((name, time.monotonic() - t))
    finally:
        kc.stop_channels(); km.shutdown_kernel(now=True)
    times.append(("kernel start to first result", time.monotonic() - t0))
    return times

one()   # warm-up: the version's first restore in a kernel
results = [one() for _ in range(runs)]
for i, r in enumerate(results, 1):
    print(f"run {i}: " + "; ".join(f"{n} {s:.1f} s" for n, s in r))
print("median: " + "; ".join(f"{n} {statistics.median(r[j][1] for r in results):.1f} s" for j, (n, _) in enumerate(results[0])))
PY
