#!/usr/bin/env bash
# The packaging test: pack Mudbase.Client and Mudbase.Emulator with a version of their own (0.1.0-pkgtest-…, so that no
# earlier package of that version can be picked up from a cache), check what is inside the packages, then build
# tests/Packaging/Consumer (an application outside the solution) against them from the local folder feed with warnings
# as errors, and run it against the standalone emulator (and an in-process one from the packed Mudbase.Emulator).
#
#   bash tests/Packaging/run.sh              builds src/ in Release first
#   bash tests/Packaging/run.sh --no-build   packs what the last Release build left (.ci/run, right after its build)
#
# Exits non-zero, saying what failed, on any failure. The emulator listens on 127.0.0.1:18877 (MUDBASE_PACKAGING_PORT
# overrides it), or the next free port when that one is taken.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build=1
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
  esac
done

port=${MUDBASE_PACKAGING_PORT:-18877}
project_id=685ad30be129932fbb7a1047   # seeded by every emulator (email verification on)
repository=https://github.com/mudbase/mudbase-dotnet
feed=artifacts/packages               # the folder tests/Packaging/nuget.config adds as a source
work=artifacts/packaging              # this run's logs
consumer=tests/Packaging/Consumer
started=$SECONDS

emulator_pid=""
version=""
global_packages=""
succeeded=0

step() { echo "== packaging: $*"; }
fail() { echo "packaging test FAILED: $*" >&2; exit 1; }

stop_emulator() {
  [ -n "$emulator_pid" ] || return 0
  local pid=$emulator_pid
  emulator_pid=""
  kill -0 "$pid" 2>/dev/null || return 0
  # dotnet run passes the SIGTERM on to the emulator, which stops cleanly.
  local children
  children=$(pgrep -P "$pid" || true)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the emulator did not stop within 15 s of SIGTERM: killing it" >&2
    # shellcheck disable=SC2086
    kill -KILL "$pid" $children 2>/dev/null || true
    return 1
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop_emulator || status=1
  # This run's version is never used again: drop it from the NuGet cache, and from the feed once it passed (a failed
  # run leaves its packages for a look).
  if [ -n "$version" ] && [ -n "$global_packages" ]; then
    rm -rf "$global_packages/mudbase.client/$version" "$global_packages/mudbase.emulator/$version"
    rmdir "$global_packages/mudbase.client" "$global_packages/mudbase.emulator" 2>/dev/null || true
  fi
  if [ -n "$version" ] && [ "$succeeded" = 1 ]; then
    rm -f "$feed"/Mudbase.Client."$version".*nupkg "$feed"/Mudbase.Emulator."$version".*nupkg
  elif [ -n "$version" ]; then
    echo "packaging test: the packages are left in $feed (version $version), the logs in $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$work"
mkdir -p "$work" "$feed"

suffix="pkgtest-$(date -u +%Y%m%d%H%M%S)-$$"
version=$(dotnet msbuild src/Mudbase.Client/Mudbase.Client.csproj -getProperty:Version -p:VersionSuffix="$suffix")
[[ $version == *-"$suffix" ]] || fail "could not read the packages' version (got '$version')"
global_packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p' | sed 's:/*$::')
[ -n "$global_packages" ] || fail "could not find the NuGet global packages folder"

if [ "$build" = 1 ]; then
  step "building src/ (Release)"
  dotnet build src/Mudbase.Client -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet build src/Mudbase.Emulator -c Release -nologo -v quiet -clp:ErrorsOnly
fi

step "packing $version"
for project in Mudbase.Client Mudbase.Emulator; do
  dotnet pack "src/$project" -c Release --no-build -nologo -v quiet -clp:ErrorsOnly -o "$feed" -p:VersionSuffix="$suffix" \
    || fail "dotnet pack src/$project"
done

step "checking the packages"
# (Each archive is read whole before grep looks at it: grep -q in a pipe would cut unzip off, which pipefail counts.)
contains() { # contains ARCHIVE FILE: the archive holds that file
  local listing
  listing=$(unzip -Z1 "$1") || fail "cannot read $1"
  grep -qxF "$2" <<<"$listing" || fail "$(basename "$1") has no $2"
}
nuspec_has() { # nuspec_has PACKAGE TEXT
  local nuspec
  nuspec=$(unzip -p "$feed/$1.$version.nupkg" "$1.nuspec") || fail "cannot read $1.nuspec"
  grep -qF "$2" <<<"$nuspec" || fail "$1.nuspec has no $2"
}
check_package() { # check_package ID TFM...
  local id=$1; shift
  local nupkg="$feed/$id.$version.nupkg" snupkg="$feed/$id.$version.snupkg"
  [ -f "$nupkg" ] || fail "no $nupkg"
  [ -f "$snupkg" ] || fail "no $snupkg (symbols)"
  contains "$nupkg" README.md
  contains "$nupkg" icon.png
  nuspec_has "$id" '<license type="expression">MIT</license>'
  nuspec_has "$id" '<readme>README.md</readme>'
  nuspec_has "$id" '<icon>icon.png</icon>'
  nuspec_has "$id" "<projectUrl>$repository</projectUrl>"
  nuspec_has "$id" "<repository type=\"git\" url=\"$repository\""
  nuspec_has "$id" '<description>'
  nuspec_has "$id" '<tags>'
  local tfm
  for tfm in "$@"; do
    contains "$nupkg" "lib/$tfm/$id.dll"
    contains "$nupkg" "lib/$tfm/$id.xml"
    contains "$snupkg" "lib/$tfm/$id.pdb"
    # SourceLink: the PDB maps its sources to the repository's raw files at the commit built.
    unzip -p "$snupkg" "lib/$tfm/$id.pdb" >"$work/$id.$tfm.pdb" || fail "cannot read the $tfm PDB of $id"
    grep -aqF "https://raw.githubusercontent.com/${repository#https://github.com/}/" "$work/$id.$tfm.pdb" \
      || fail "the $tfm PDB of $id has no SourceLink to $repository"
  done
}
check_package Mudbase.Client net8.0 net10.0
check_package Mudbase.Emulator net10.0
nuspec_has Mudbase.Emulator '<frameworkReference name="Microsoft.AspNetCore.App" />'

# The package README is the quickstart: its code must be the repository README's.
quickstart() { awk '/^## Quickstart/ { q = 1 } q && /^```csharp/ { c = 1; next } c && /^```/ { exit } c { print }' "$1"; }
[ -n "$(quickstart README.md)" ] || fail "README.md has no '## Quickstart' C# block"
diff <(quickstart README.md) <(quickstart src/Mudbase.Client/PACKAGE.md) >"$work/quickstart.diff" \
  || fail "the quickstart in src/Mudbase.Client/PACKAGE.md differs from README.md's: $(cat "$work/quickstart.diff")"

step "building the consumer against the packages (warnings are errors)"
rm -rf "$consumer/bin" "$consumer/obj"
dotnet build "$consumer" -c Release -nologo -p:MudbasePackageVersion="$version" >"$work/consumer-build.log" 2>&1 \
  || { cat "$work/consumer-build.log" >&2; fail "the consumer did not build against the packages"; }
grep -qF "\"Mudbase.Client/$version\"" "$consumer/obj/project.assets.json" \
  || fail "the consumer did not restore Mudbase.Client $version"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Another run on this machine (another clone's CI, say) may hold the port: take the next free one rather than fail, or
# talk to a server that is not this run's.
wanted=$port
while listening "$port"; do
  port=$((port + 1))
  [ "$port" -lt $((wanted + 20)) ] || fail "ports $wanted to $((wanted + 19)) are all taken (set MUDBASE_PACKAGING_PORT)"
done
step "starting the emulator on port $port"
dotnet run --project src/Mudbase.Emulator -c Release --no-build -- --port "$port" --no-rate-limits >"$work/emulator.log" 2>&1 &
emulator_pid=$!
ready=0
for _ in $(seq 1 600); do
  if listening "$port"; then
    ready=1
    break
  fi
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; emulator_pid=""; fail "the emulator exited at start"; }
  sleep 0.1
done
[ "$ready" = 1 ] || { cat "$work/emulator.log" >&2; fail "the emulator did not listen on port $port within 60 s"; }

step "running the consumer"
MUDBASE_BASE_URL="http://127.0.0.1:$port" MUDBASE_PROJECT_ID="$project_id" \
  timeout 120 dotnet "$consumer/bin/Release/net10.0/Consumer.dll" \
  || { echo "--- emulator log" >&2; cat "$work/emulator.log" >&2; fail "the consumer failed"; }

step "stopping the emulator"
stop_emulator || fail "the emulator did not stop on SIGTERM"

succeeded=1
echo "packaging test passed: Mudbase.Client and Mudbase.Emulator $version, in $((SECONDS - started)) s"
