#!/usr/bin/env bash
# SpotPrices for 10 instance types against the fake AWS endpoint with 100 ms injected latency per request;
# prints the wall time in round trips (goal: <= 3). The measurement is tests/Build.Tests/Aws/SpotPricesBenchmark.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_LANE="${BUILD_LANE:-bench}"
dotnet test tests/Build.Tests --nologo --filter "FullyQualifiedName~Aws.SpotPricesBenchmark" --logger "console;verbosity=detailed" 2>&1 \
  | tee /tmp/spot-prices-bench.log \
  | grep -E "^\s*SpotPrices, [0-9]+ instance types" | sed 's/^ *//' \
  || { echo "benchmark failed; see /tmp/spot-prices-bench.log" >&2; exit 1; }
grep -q "Test Run Successful" /tmp/spot-prices-bench.log
