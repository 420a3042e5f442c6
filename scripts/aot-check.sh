#!/usr/bin/env bash
# Native AOT check: starts the emulator, publishes samples/Mudbase.Samples.Aot with PublishAot (every trimming and AOT
# warning is an error, and any other warning fails the check too), runs the native program against both seeded
# projects (email verification on, then off), and stops the emulator. Exits non-zero on any warning or failure.
#   bash scripts/aot-check.sh          (MUDBASE_EMULATOR_PORT overrides the port, 18898 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

port=${MUDBASE_EMULATOR_PORT:-18898}
work=$(mktemp -d)
trap 'stop_emulator; rm -rf "$work"' EXIT
started=$SECONDS

# Native AOT links with clang and zlib; Debian names clang clang-NN when the unversioned link is missing. A machine
# without either gets them from Debian's packages.
has_clang() { command -v clang >/dev/null || compgen -c clang- | grep -Eq '^clang-[0-9]+$'; }
if ! has_clang || ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  echo "== installing clang and zlib1g-dev (Native AOT's linker)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang zlib1g-dev >/dev/null
fi
linker=()
if ! command -v clang >/dev/null; then
  versioned=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  if [ -n "$versioned" ]; then
    linker=("-p:CppCompilerAndLinker=$versioned")
  fi
fi

echo "== emulator on port $port"
start_emulator "$port" "$work/emulator.log"

echo "== publish samples/Mudbase.Samples.Aot (Native AOT, warnings are errors)"
set +e
dotnet publish samples/Mudbase.Samples.Aot -c Release -r linux-x64 -o "$work/aot" -nologo \
  -p:TreatWarningsAsErrors=true -p:IlcTreatWarningsAsErrors=true -p:TrimmerSingleWarn=false "${linker[@]}" >"$work/publish.log" 2>&1
status=$?
set -e
if [ $status -ne 0 ] || grep -Eq ': (warning|error) [A-Z]+[0-9]+' "$work/publish.log"; then
  grep -E ': (warning|error) ' "$work/publish.log" | sort -u || tail -30 "$work/publish.log"
  echo "aot-check: FAILED: the publish reported warnings or errors (exit $status)" >&2
  exit 1
fi
size=$(du -k "$work/aot/Mudbase.Samples.Aot" | cut -f1)
echo "published: $work/aot/Mudbase.Samples.Aot (${size} KB), no warnings"

for project in 685ad30be129932fbb7a1047 685ad30be129932fbb7a1048; do
  echo "== run against project $project"
  # The emulator's API key of a project is ak_emulator_<project id>: with it the sample also runs its documents step.
  MUDBASE_BASE_URL="http://127.0.0.1:$port/" MUDBASE_PROJECT_ID="$project" MUDBASE_API_KEY="ak_emulator_$project" "$work/aot/Mudbase.Samples.Aot"
done

stop_emulator
echo "aot-check: passed in $((SECONDS - started)) s"
