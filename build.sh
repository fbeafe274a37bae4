#!/usr/bin/env bash
# Runs the build (build/_build.csproj): ./build.sh <Target> [--parameters]. ./build.sh --help lists every step.
# Rebuilds only when a file under build/ (or global.json, or infra/contract.json, which the build embeds) is newer than the last build.
# Compiles ahead of time (ReadyToRun, for this machine's runtime identifier): a slower first compile, a faster start on every run.
set -eo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
PROJECT="$ROOT/build/_build.csproj"
OUT="$TEMP/build"
DLL="$OUT/_build.dll"
STAMP="$TEMP/build.stamp"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_ROLL_FORWARD="${DOTNET_ROLL_FORWARD:-Major}"

needs_build() {
  [[ -f "$DLL" && -f "$STAMP" ]] || return 0
  [[ "$ROOT/global.json" -nt "$STAMP" ]] && return 0
  [[ "$ROOT/infra/contract.json" -nt "$STAMP" ]] && return 0
  [[ -n "$(find "$ROOT/build" \( -name bin -o -name obj \) -prune -o -newer "$STAMP" -type f -print -quit)" ]]
}

find_dotnet() {
  local wanted
  wanted="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/global.json")"
  if command -v dotnet >/dev/null && dotnet --list-sdks 2>/dev/null | grep -q "^${wanted%.*}"; then
    DOTNET="$(command -v dotnet)"
  elif [[ -x "$TEMP/dotnet/dotnet" ]]; then
    DOTNET="$TEMP/dotnet/dotnet"
  else
    echo "Installing .NET SDK ${wanted%.*}.x (global.json) into .nuke/temp/dotnet ..." >&2
    mkdir -p "$TEMP"
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh"
    bash "$TEMP/dotnet-install.sh" --channel "${wanted%.*}" --install-dir "$TEMP/dotnet" --no-path >&2
    DOTNET="$TEMP/dotnet/dotnet"
  fi
}

if needs_build; then
  find_dotnet
  mkdir -p "$TEMP"
  if [[ -f "$DLL" ]]; then echo "Compiling the build (build/ changed) ..." >&2; else echo "Compiling the build (first run) ..." >&2; fi
  touch "$STAMP.new"
  if ! "$DOTNET" publish "$PROJECT" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$OUT" -nologo -v quiet >"$TEMP/build.log" 2>&1; then
    grep -E "error|warning" "$TEMP/build.log" | sort -u >&2 || cat "$TEMP/build.log" >&2
    echo "The build project did not compile; fix the errors above (build/), full log: .nuke/temp/build.log." >&2
    exit 1
  fi
  mv "$STAMP.new" "$STAMP"
fi

# A locally installed SDK (no matching system one) also brings the runtime.
if [[ -x "$TEMP/dotnet/dotnet" ]]; then exec "$TEMP/dotnet/dotnet" "$DLL" "$@"; fi
exec dotnet "$DLL" "$@"
