#!/usr/bin/env bash
# run-all.sh: every benchmark of docs/performance.md, one after the other (never two at once: they would
# measure each other). Results land in artifacts/bench/*.md and BenchmarkDotNet.Artifacts/results/.
# Takes about 40 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts/bench

echo "== BenchmarkDotNet (in-process) =="
dotnet run -c Release --project benchmarks/HealthGen.Benchmarks -- --filter '*' --artifacts artifacts/bench/bdn
echo "== paired (in-process, interleaved) =="
dotnet run -c Release --project benchmarks/HealthGen.Benchmarks -- --paired
echo "== wrk =="
benchmarks/load.sh
echo "== probe storm =="
benchmarks/storm.sh
echo "== generator =="
dotnet run -c Release --project benchmarks/HealthGen.Benchmarks.Compiler -- generator --runs 15 --out artifacts/bench/generator.md
echo "== analyzers =="
benchmarks/analyzers.sh
echo "== native AOT =="
benchmarks/aot.sh
