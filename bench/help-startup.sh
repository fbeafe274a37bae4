#!/usr/bin/env bash
# Warm `./build.sh --help` against (a) the bare host `dotnet <built dll> --help` and
# (b) NUKE's way `dotnet build build/_build.csproj && dotnet run --no-build -- --help`.
# Goals: (warm ./build.sh) / (a) <= 1.3, and (b) / (warm ./build.sh) >= 3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${RUNS:-10}"

median_ms() { # command... : median wall time of $runs runs in milliseconds
  local times=() start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'
}

./build.sh --help >/dev/null   # warm: builds once if needed
nuke_style() { dotnet build build/_build.csproj -nologo -v quiet && dotnet run --no-build --project build/_build.csproj -- --help; }
dotnet build build/_build.csproj -nologo -v quiet >/dev/null  # so (b) measures an up-to-date incremental build

script=$(median_ms ./build.sh --help)
host=$(median_ms dotnet .nuke/temp/build/_build.dll --help)
nuke=$(RUNS=$(( runs < 5 ? runs : 5 )) median_ms nuke_style)

echo "runs: $runs (median wall time)"
echo "warm ./build.sh --help:                         ${script} ms"
echo "(a) dotnet .nuke/temp/build/_build.dll --help:  ${host} ms"
echo "(b) dotnet build && dotnet run --no-build:      ${nuke} ms"
awk -v s="$script" -v h="$host" -v n="$nuke" 'BEGIN {
  printf "ratio ./build.sh / (a) = %.2f (goal <= 1.3)\n", s / h
  printf "ratio (b) / ./build.sh = %.1f (goal >= 3)\n", n / s
}'
