#!/usr/bin/env bash
# Scale: 1, 16, 64 and 256 concurrent callers on one client against an emulator in its own process (so that the
# allocated bytes counted are the client's only): throughput, p50/p99 latency, errors, allocated bytes per call.
#   bash scripts/scale.sh                     the SDK, hand-written and plain Refit, GetSessionAsync and CreateAnonymousAsync
#   bash scripts/scale.sh --levels 64 --rounds 3     extra arguments go to the scale mode (see benchmarks/Mudbase.Client.Benchmarks/Scale.cs)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

port=${MUDBASE_EMULATOR_PORT:-18897}
trap 'stop_emulator' EXIT
dotnet build benchmarks/Mudbase.Client.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
start_emulator "$port"
dotnet benchmarks/Mudbase.Client.Benchmarks/bin/Release/net10.0/Mudbase.Client.Benchmarks.dll scale \
  --url "http://127.0.0.1:$port/" --impls sdk,baseline,refit --ops session,anonymous --levels 1,16,64,256 --seconds 5 --warmup 2 "$@"
