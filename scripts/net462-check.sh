#!/usr/bin/env bash
# Runs the SDK's net462 build for real, under Mono: the sample samples/Mudbase.Samples.NetFramework (anonymous
# and register flows on the emulator's two projects, a call made as the user, a duplicate, a session file, a
# refused connection, a timeout, a realtime watch over Mono's ClientWebSocket) against the emulator started on its own port.
#
#   bash scripts/net462-check.sh
#
# Installs Debian's mono-complete when mono is missing (needs root, or sudo), builds the sample and the emulator
# in Release, starts the emulator, runs the sample with mono, stops the emulator, and exits non-zero on any
# failure. Prints how long the install and the run took.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

port=${MUDBASE_NET462_PORT:-18866}

install_seconds=0
if ! command -v mono >/dev/null; then
  echo "== Installing mono-complete"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  started=$SECONDS
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends mono-complete
  install_seconds=$((SECONDS - started))
fi
mono --version | head -1

echo "== Building the net462 sample and the emulator"
started=$SECONDS
dotnet build samples/Mudbase.Samples.NetFramework -c Release
dotnet build src/Mudbase.Emulator -c Release
build_seconds=$((SECONDS - started))

log=$(mktemp)
emulator=""
stop_emulator() {
  if [ -n "$emulator" ] && kill -0 "$emulator" 2>/dev/null; then
    kill -TERM "$emulator"
    wait "$emulator" || true
  fi
  emulator=""
}
trap 'stop_emulator; rm -f "$log"' EXIT

echo "== Starting the emulator on port $port"
dotnet run --project src/Mudbase.Emulator -c Release --no-build -- --port "$port" --no-rate-limits >"$log" 2>&1 &
emulator=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$log" && break
  kill -0 "$emulator" 2>/dev/null || { cat "$log" >&2; echo "The emulator did not start." >&2; exit 1; }
  sleep 0.5
done
grep -q "listening on" "$log" || { cat "$log" >&2; echo "The emulator did not start within 60 s." >&2; exit 1; }

echo "== Running the net462 sample under Mono"
started=$SECONDS
status=0
MUDBASE_BASE_URL="http://127.0.0.1:$port" mono samples/Mudbase.Samples.NetFramework/bin/Release/net462/Mudbase.Samples.NetFramework.exe || status=$?
run_seconds=$((SECONDS - started))

stop_emulator
echo "== Timings: mono install ${install_seconds} s (0: already installed), build ${build_seconds} s, run under Mono ${run_seconds} s"
if [ "$status" -ne 0 ]; then
  echo "The net462 sample failed under Mono (exit $status)." >&2
  exit "$status"
fi
echo "net462 under Mono: passed"
