#!/usr/bin/env bash
# Cold start, SDK vs hand-written: process start to one completed CreateAnonymousAsync against an emulator that is
# already running. Both programs are published Release, framework-dependent, and run alternately (hyperfine when
# installed: apt-get install -y hyperfine; else a bash loop timed with date +%s%N).
#   bash scripts/coldstart.sh [RUNS]        RUNS per program and round (3 rounds), 30 by default
#   COLDSTART_R2R=1 bash scripts/coldstart.sh    also measures both published with ReadyToRun
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

runs=${1:-30}
port=${MUDBASE_EMULATOR_PORT:-18899}
work=$(mktemp -d)
trap 'stop_emulator; rm -rf "$work"' EXIT
export MUDBASE_BASE_URL="http://127.0.0.1:$port/" MUDBASE_PROJECT_ID=685ad30be129932fbb7a1048

variants=(plain)
[ "${COLDSTART_R2R:-0}" = 1 ] && variants+=(r2r)
for variant in "${variants[@]}"; do
  extra=()
  [ "$variant" = r2r ] && extra=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true)
  for app in Sdk Baseline; do
    dotnet publish "benchmarks/ColdStart.$app" -c Release -o "$work/$variant/$app" -nologo -v quiet -clp:ErrorsOnly "${extra[@]}"
  done
done

start_emulator "$port" "$work/emulator.log"

measure() {
  local sdk=$1 baseline=$2 label=$3
  # One run each first: the files in the page cache, the emulator's code warm.
  "$sdk" >/dev/null && "$baseline" >/dev/null
  COLDSTART_REPORT=1 "$sdk"
  COLDSTART_REPORT=1 "$baseline"
  if command -v hyperfine >/dev/null; then
    # Three rounds, the order swapped each time: hyperfine runs one command's series before the other's, so a busy
    # spell on a shared machine would otherwise land on one side only.
    local round
    for round in 1 2 3; do
      local order=(-n sdk "$sdk" -n baseline "$baseline")
      [ $round = 2 ] && order=(-n baseline "$baseline" -n sdk "$sdk")
      hyperfine -N --warmup 3 --runs "$runs" --export-csv "$work/$label.$round.csv" "${order[@]}" >/dev/null 2>&1
      awk -F, -v label="$label" -v round="$round" 'NR > 1 { mean[$1] = $2 * 1000; median[$1] = $4 * 1000; min[$1] = $7 * 1000 }
        END { printf "%s round %s: sdk mean %.1f ms, median %.1f ms; baseline mean %.1f ms, median %.1f ms; ratio of means %.3f, of medians %.3f, of minimums %.3f\n",
              label, round, mean["sdk"], median["sdk"], mean["baseline"], median["baseline"], mean["sdk"] / mean["baseline"], median["sdk"] / median["baseline"], min["sdk"] / min["baseline"] }' "$work/$label.$round.csv"
    done
  else
    : >"$work/$label.sdk"; : >"$work/$label.baseline"
    for _ in $(seq 1 "$runs"); do
      for name in sdk baseline; do
        local exe=$sdk; [ $name = baseline ] && exe=$baseline
        local t0 t1; t0=$(date +%s%N); "$exe" >/dev/null; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000 )) >>"$work/$label.$name"
      done
    done
    local s b
    s=$(sort -n "$work/$label.sdk" | awk '{ a[NR] = $1; sum += $1 } END { printf "%.1f %.1f", sum / NR / 1000, a[int((NR + 1) / 2)] / 1000 }')
    b=$(sort -n "$work/$label.baseline" | awk '{ a[NR] = $1; sum += $1 } END { printf "%.1f %.1f", sum / NR / 1000, a[int((NR + 1) / 2)] / 1000 }')
    awk -v s="$s" -v b="$b" -v label="$label" 'BEGIN { split(s, x, " "); split(b, y, " ");
      printf "%s: sdk mean %.1f ms, median %.1f ms; baseline mean %.1f ms, median %.1f ms; ratio of means %.3f, of medians %.3f\n", label, x[1], x[2], y[1], y[2], x[1] / y[1], x[2] / y[2] }'
  fi
}

for variant in "${variants[@]}"; do
  measure "$work/$variant/Sdk/ColdStart.Sdk" "$work/$variant/Baseline/ColdStart.Baseline" "$variant"
done
