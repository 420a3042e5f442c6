#!/usr/bin/env bash
# Cold start, SDK vs hand-written: process start to one completed CreateAnonymousAsync against an emulator that is
# already running and warmed up. The SDK program references the PACKED Mudbase.Client, as a user's app would: the
# script packs src/Mudbase.Client (Release) with a version of its own into artifacts/coldstart-packages first. Both
# programs are published Release, framework-dependent (not ReadyToRun), and run as `dotnet app.dll` in pairs (one of
# each, back to back, the order alternating), timed with date +%s%N; the ratio is taken within each pair.
#   bash scripts/coldstart.sh [RUNS]        3 x RUNS pairs, RUNS 30 by default
#   COLDSTART_R2R=1 bash scripts/coldstart.sh    also measures both published with ReadyToRun
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

runs=${1:-30}
port=${MUDBASE_EMULATOR_PORT:-18899}
work=$(mktemp -d)
export MUDBASE_BASE_URL="http://127.0.0.1:$port/" MUDBASE_PROJECT_ID=685ad30be129932fbb7a1048

# The package: a version of this run's own, so that no earlier package of that version comes from a cache; it is
# removed from the feed and from the NuGet cache on exit.
feed=artifacts/coldstart-packages
suffix="coldstart-$(date -u +%Y%m%d%H%M%S)-$$"
version=$(dotnet msbuild src/Mudbase.Client/Mudbase.Client.csproj -getProperty:Version -p:VersionSuffix="$suffix")
global_packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p' | sed 's:/*$::')
# COLDSTART_KEEP=1 keeps the published programs (their folder is printed) for a closer look (COLDSTART_JITLOG=1 ...).
keep() { if [ "${COLDSTART_KEEP:-0}" = 1 ]; then echo "published programs kept in $work"; else rm -rf "$work"; fi; }
trap 'stop_emulator; keep; rm -rf "$global_packages/mudbase.client/$version"; rm -f "$feed"/Mudbase.Client."$version".*nupkg' EXIT
mkdir -p "$feed"
dotnet build src/Mudbase.Client -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet pack src/Mudbase.Client -c Release --no-build -nologo -v quiet -clp:ErrorsOnly -o "$feed" -p:VersionSuffix="$suffix"
echo "Mudbase.Client $version packed into $feed"

variants=(plain)
[ "${COLDSTART_R2R:-0}" = 1 ] && variants+=(r2r)
for variant in "${variants[@]}"; do
  extra=()
  [ "$variant" = r2r ] && extra=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true)
  for app in Sdk Baseline; do
    dotnet publish "benchmarks/ColdStart.$app" -c Release -o "$work/$variant/$app" -nologo -v quiet -clp:ErrorsOnly \
      -p:MudbasePackageVersion="$version" "${extra[@]}"
  done
done

start_emulator "$port" "$work/emulator.log"

measure() {
  local sdk=$1 baseline=$2 label=$3
  # Warm-up: the files in the page cache and the emulator's own code tiered up, so that neither program meets a
  # colder server than the other (an emulator still warming up favoured whichever program ran later).
  local _
  for _ in $(seq 1 10); do dotnet "$sdk" >/dev/null; dotnet "$baseline" >/dev/null; done
  COLDSTART_REPORT=1 dotnet "$sdk"
  COLDSTART_REPORT=1 dotnet "$baseline"
  # Pairs: one run of each, back to back, the order alternating; the ratio is taken within each pair, so a busy spell
  # on a shared machine hits both sides of it.
  : >"$work/$label.pairs"
  local i t0 t1 t2 first second
  for i in $(seq 1 $((runs * 3))); do
    first=$sdk; second=$baseline
    [ $((i % 2)) = 0 ] && first=$baseline && second=$sdk
    t0=$(date +%s%N); dotnet "$first" >/dev/null; t1=$(date +%s%N); dotnet "$second" >/dev/null; t2=$(date +%s%N)
    if [ "$first" = "$sdk" ]; then echo "$(( (t1 - t0) / 1000 )) $(( (t2 - t1) / 1000 ))"; else echo "$(( (t2 - t1) / 1000 )) $(( (t1 - t0) / 1000 ))"; fi >>"$work/$label.pairs"
  done
  # Columns: sdk us, baseline us. Medians of each side, and the median and quartiles of the per-pair ratios.
  local med_sdk med_base
  med_sdk=$(cut -d' ' -f1 "$work/$label.pairs" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  med_base=$(cut -d' ' -f2 "$work/$label.pairs" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  awk '{ printf "%.6f\n", $1 / $2 }' "$work/$label.pairs" | sort -n | awk -v label="$label" -v s="$med_sdk" -v b="$med_base" '
    { r[NR] = $1 }
    END { printf "%s: %d pairs; sdk median %.1f ms, baseline median %.1f ms; per-pair ratio median %.3f (p25 %.3f, p75 %.3f)\n",
          label, NR, s / 1000, b / 1000, r[int((NR + 1) / 2)], r[int(NR / 4) + 1], r[int(NR * 3 / 4)] }'
}

for variant in "${variants[@]}"; do
  measure "$work/$variant/Sdk/ColdStart.Sdk.dll" "$work/$variant/Baseline/ColdStart.Baseline.dll" "$variant"
done
