#!/usr/bin/env bash
# SpotPrices for 10 instance types against the fake AWS endpoint with 100 ms injected latency per request:
# (1) in-process wall time in round trips (goal: <= 3), tests/Build.Tests/Aws/SpotPricesBenchmark.cs;
# (2) `./build.sh SpotPrices` as a process against the usual way, one `aws ec2 describe-spot-price-history` per type
#     (awscli v2 at /usr/bin/aws), and their ratio (goal: ours >= 3x faster), tests/Build.Tests/Aws/SpotPricesVersusAwsCli.cs.
# RUNS=n sets the runs per side of (2) (median; default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_LANE="${BUILD_LANE:-bench}"
./build.sh --help >/dev/null   # compiles the build if needed, so (2) times a warm ./build.sh
dotnet test tests/Build.Tests --nologo --filter "FullyQualifiedName~Aws.SpotPricesBenchmark|Category=Bench" --logger "console;verbosity=detailed" 2>&1 \
  | tee /tmp/spot-prices-bench.log \
  | grep -E "^\s*(SpotPrices|\./build\.sh SpotPrices|\(?aws ec2|ratio)" | sed 's/^ *//' \
  || { echo "benchmark failed; see /tmp/spot-prices-bench.log" >&2; exit 1; }
grep -q "Test Run Successful" /tmp/spot-prices-bench.log
