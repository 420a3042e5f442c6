# Sourced by the scripts beside it: start_emulator PORT builds the emulator (Release) and starts it on 127.0.0.1:PORT
# without rate limits, waiting until it accepts connections; stop_emulator sends it SIGTERM and waits for it to exit.
# The built program is started directly (not through `dotnet run`), so the SIGTERM reaches the emulator itself.

EMULATOR_PID=""

start_emulator() {
  local port=$1 log=${2:-/dev/null}
  dotnet build src/Mudbase.Emulator -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  src/Mudbase.Emulator/bin/Release/net10.0/Mudbase.Emulator --port "$port" --no-rate-limits >"$log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      echo "the emulator exited at start (port $port taken?)" >&2
      EMULATOR_PID=""
      return 1
    fi
    sleep 0.1
  done
  echo "the emulator did not listen on port $port within 10 s" >&2
  return 1
}

stop_emulator() {
  if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill -TERM "$EMULATOR_PID"
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  EMULATOR_PID=""
}
