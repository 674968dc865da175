#!/usr/bin/env bash
# analyzers.sh: what HealthGen's analyzers and generator add to the build of a large project (issue 7, target:
# at most 5 % on a 2,000-file project).
#
# What it does:
#   1. generates a 2,000-file class library under artifacts/bench/analyzers/src (ANALYZER_FILES): records, interfaces
#      and services with properties, LINQ, async methods, a couple of hundred helper call chains (Step() calls the
#      previous file's Step(), ten links per chain), and 50 check methods ([LivenessCheck]/[ReadinessCheck]) spread
#      over the last 25 files; the liveness checks call into the chains (HG0001 follows them), and one reaches an
#      HttpClient through two helpers, so HG0001 reports a warning and has real work to do;
#   2. writes two projects over the SAME sources and references (src/HealthGen/HealthGen.csproj):
#        with/     + ProjectReference to src/HealthGen.Generators with OutputItemType=Analyzer
#                    ReferenceOutputAssembly=false, as samples/HealthGen.Sample does (the generator and every analyzer);
#        without/  the runtime reference only: no generator, no analyzers.
#      The difference between the two is exactly what the analyzer assembly adds. artifacts/ is inside the
#      repository, so artifacts/bench/analyzers/ gets its own empty Directory.Build.props and Directory.Packages.props:
#      the projects do not inherit the repository's TreatWarningsAsErrors (HG0001 stays a warning), AnalysisLevel or
#      central package management; they build with the SDK's defaults, as a user's project would;
#   3. builds each once to warm up (restore, the referenced projects, the compiler server, JIT), then ANALYZER_RUNS
#      times (5) alternating with/without:
#        dotnet build -c Release --no-incremental -p:ReportAnalyzer=true -v:d \
#          --no-restore -p:BuildProjectReferences=false -clp:PerformanceSummary
#      --no-restore and BuildProjectReferences=false keep restore and the rebuild of src/HealthGen (identical in both
#      variants, and built by the warm-up) out of the timing: each measured build recompiles the 2,000 files only;
#   4. records the wall time of each build, the Csc task's time (from the performance summary) and, from the
#      ReportAnalyzer output, the total analyzer time, HealthGen.Generators' analyzer time (and per analyzer) and its
#      generator time; prints a markdown table (variant | median build s | added %, for wall and Csc time, from the
#      medians and paired: the median of the per-round ratios, robust to load that drifts between rounds) and
#      HealthGen's reported times, and writes it to artifacts/bench/analyzers.md; build logs go to
#      artifacts/bench/analyzers/logs/.
#
# Analyzer times are what the compiler reports with ReportAnalyzer: CPU time summed over the threads that ran
# them (analyzers run concurrently), so they can exceed their share of wall time; the added % of the build is the
# number the target is about. On a machine shared with other builds, wall times are noisy: look at the min-max
# columns and the load average the table records, and rerun with more ANALYZER_RUNS when they are wide.
#
# Compiler server: with ANALYZER_SERVER=1 (the default) the builds pass -p:UseSharedCompilation=true, so after the
# warm-up csc runs in a warm VBCSCompiler server (analyzers loaded and JIT-compiled once), as on a developer's machine;
# this overrides an environment that sets UseSharedCompilation=false. The script shuts the server down at the end
# if none was running before it started. ANALYZER_SERVER=0 leaves the environment's setting: with
# UseSharedCompilation=false every build starts a new csc process, and every analyzer and generator is JIT-compiled
# again in each build (their reported times then include that).
#
# Run:   benchmarks/analyzers.sh                    (from anywhere; ~2 x (ANALYZER_RUNS + 1) builds)
#        ANALYZER_RUNS=3 benchmarks/analyzers.sh
# Knobs: ANALYZER_RUNS (5)      measured builds per variant
#        ANALYZER_FILES (2000)  source files in the generated project (at least 100)
#        ANALYZER_SERVER (1)    1: warm compiler server (-p:UseSharedCompilation=true); 0: the environment's setting
# Needs: the .NET 10 SDK, python3 (generates the sources and parses the logs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${ANALYZER_RUNS:-5}
FILES=${ANALYZER_FILES:-2000}
SERVER=${ANALYZER_SERVER:-1}
OUT="$ROOT/artifacts/bench/analyzers"
REPORT="$ROOT/artifacts/bench/analyzers.md"
LOGS="$OUT/logs"

if (( FILES < 100 )); then
    echo "ANALYZER_FILES must be at least 100" >&2
    exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== generating $FILES files under ${OUT#"$ROOT"/}"
rm -rf "$OUT"
mkdir -p "$OUT/src" "$OUT/with" "$OUT/without" "$LOGS"

python3 - "$OUT/src" "$FILES" <<'PY'
import os, sys

out, files = sys.argv[1], int(sys.argv[2])
check_files = 25                     # 2 checks each: 50 checks
domain = files - check_files
chain = 10                           # Step() chains: ten links, each calling the previous file's Step()

def area(i):
    return f"Bench.Lib.Area{i // 100}"

for i in range(domain):
    step = "value + 1" if i % chain == 0 else f"global::{area(i - 1)}.Service{i - 1}.Step(value * 2 + 1)"
    dependency = f"global::{area(i - 1)}.IService{i - 1}" if i > 0 else "System.IServiceProvider"
    text = f"""using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace {area(i)};

public sealed record Item{i}(int Id, string Name, decimal Price, DateTime CreatedAt);

public interface IService{i}
{{
    int Compute(int seed);

    Task<int> ComputeAsync(int seed, CancellationToken cancellationToken);
}}

/// <summary>Service {i}: items, totals and a link of a helper chain.</summary>
public sealed class Service{i} : IService{i}
{{
    private readonly List<Item{i}> _items = new();
    private readonly {dependency}? _previous;

    public Service{i}({dependency}? previous = null) => _previous = previous;

    public string Name {{ get; set; }} = "service{i}";

    public int Count => _items.Count;

    public IReadOnlyList<Item{i}> Items => _items;

    public void Add(int id, string name, decimal price)
    {{
        if (price < 0)
        {{
            throw new ArgumentOutOfRangeException(nameof(price));
        }}

        _items.Add(new Item{i}(id, name, price, DateTime.UnixEpoch.AddDays(id)));
    }}

    public decimal Total() => _items.Where(x => x.Price > 0).Sum(x => x.Price);

    public IEnumerable<string> Names(int take) => _items
        .OrderBy(x => x.Name, StringComparer.Ordinal)
        .Take(take)
        .Select(x => x.Name.ToUpperInvariant());

    public Dictionary<int, decimal> ByDay() => _items
        .GroupBy(x => x.CreatedAt.Day)
        .ToDictionary(g => g.Key, g => g.Sum(x => x.Price));

    public int Compute(int seed)
    {{
        int accumulator = seed;
        for (int k = 0; k < 10; k++)
        {{
            accumulator = unchecked((accumulator * 31) + k);
        }}

        return accumulator ^ Count;
    }}

    public async Task<int> ComputeAsync(int seed, CancellationToken cancellationToken)
    {{
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        string summary = string.Join(",", Names(3));
        return Compute(seed) + summary.Length;
    }}

    public static int Step(int value) => {step};
}}
"""
    path = os.path.join(out, f"Area{i // 100}", f"Service{i}.cs")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

helpers = """using System.Net.Http;

namespace Bench.Lib.Health;

/// <summary>Two hops from a liveness check to an HTTP client: what HG0001 is there to find.</summary>
public static class Upstream
{
    public static bool Reachable() => Probe();

    private static bool Probe()
    {
        using var client = new HttpClient();
        client.CancelPendingRequests();
        return client.Timeout.TotalSeconds > 0;
    }
}
"""
with open(os.path.join(out, "Upstream.cs"), "w") as f:
    f.write(helpers)

for c in range(check_files):
    # Liveness checks start a helper chain at its far end (ten links to follow); readiness checks take services.
    target = min(domain - 1, (c * (domain // check_files)) + chain - 1)
    live = ("global::Bench.Lib.Health.Upstream.Reachable()" if c == 0
            else f"global::{area(target)}.Service{target}.Step(1) != 0")
    service = f"global::{area(target)}.IService{target}"
    text = f"""using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen;

namespace Bench.Lib.Health;

public static class Checks{c}
{{
    [LivenessCheck("live_{c}")]
    public static bool Live{c}() => {live};

    [ReadinessCheck("ready_{c}", TimeoutMs = 500)]
    public static async Task<bool> Ready{c}Async({service} service, CancellationToken cancellationToken)
        => await service.ComputeAsync({c}, cancellationToken).ConfigureAwait(false) != int.MinValue;
}}
"""
    with open(os.path.join(out, f"Checks{c}.cs"), "w") as f:
        f.write(text)
PY

# artifacts/ is inside the repository: stop MSBuild from importing the repository's props here.
cat > "$OUT/Directory.Build.props" <<'XML'
<Project>
  <!-- Generated by benchmarks/analyzers.sh: the benchmark projects build with the SDK's defaults, not the repository's. -->
</Project>
XML
cat > "$OUT/Directory.Packages.props" <<'XML'
<Project>
  <!-- Generated by benchmarks/analyzers.sh: no central package management here. -->
</Project>
XML

write_project() { # $1 = directory, $2 = extra item
    cat > "$OUT/$1/Bench.Analyzers.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Generated by benchmarks/analyzers.sh ($1). -->
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AssemblyName>Bench.Analyzers</AssemblyName>
    <RootNamespace>Bench.Lib</RootNamespace>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="../src/**/*.cs" />
    <ProjectReference Include="$ROOT/src/HealthGen/HealthGen.csproj" />
$2
  </ItemGroup>
</Project>
XML
}
write_project with "    <ProjectReference Include=\"$ROOT/src/HealthGen.Generators/HealthGen.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />"
write_project without ""

SERVER_ARGS=()
SERVER_NOTE="compiler server as the environment has it (UseSharedCompilation=${UseSharedCompilation:-unset})"
if [[ "$SERVER" == 1 ]]; then
    SERVER_ARGS=(-p:UseSharedCompilation=true)
    SERVER_NOTE="warm compiler server (-p:UseSharedCompilation=true)"
    if ! pgrep -f VBCSCompiler > /dev/null 2>&1; then
        # Started by this script's builds: shut it down when the script ends, however it ends.
        trap 'dotnet build-server shutdown --vbcscompiler > /dev/null 2>&1 || true' EXIT
    fi
fi

now() { date +%s.%N; }

build() { # $1 = variant, $2 = log, extra args...
    local variant=$1 log=$2
    shift 2
    local start end
    start=$(now)
    if ! dotnet build "$OUT/$variant/Bench.Analyzers.csproj" -c Release --no-incremental -p:ReportAnalyzer=true -v:d ${SERVER_ARGS[@]+"${SERVER_ARGS[@]}"} "$@" > "$log" 2>&1; then
        echo "build of $variant failed; log: $log" >&2
        grep -E "error [A-Z]+[0-9]+" "$log" | head -20 >&2 || true
        exit 1
    fi
    end=$(now)
    python3 -c "print(f'{$end - $start:.3f}')"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "== warm-up builds (restore, src/HealthGen and the generator, compiler server)"
for variant in with without; do
    echo "   $variant: $(build $variant "$LOGS/warmup-$variant.log") s"
done

MEASURE=(--no-restore -p:BuildProjectReferences=false -clp:PerformanceSummary)
: > "$LOGS/times.tsv"
for ((run = 1; run <= RUNS; run++)); do
    # Alternate which variant goes first, so drift in the machine's load hits both alike.
    if (( run % 2 )); then order=(with without); else order=(without with); fi
    for variant in "${order[@]}"; do
        log="$LOGS/$variant-$run.log"
        seconds=$(build "$variant" "$log" "${MEASURE[@]}")
        printf '%s\t%s\t%s\t%s\n' "$variant" "$run" "$seconds" "$log" >> "$LOGS/times.tsv"
        echo "   run $run $variant: $seconds s"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

python3 - "$LOGS/times.tsv" "$REPORT" "$FILES" "$RUNS" "$LOAD_BEFORE" "$LOAD_AFTER" "$ROOT" "$SERVER_NOTE" <<'PY'
import re, statistics, sys

times_file, report_file, files, runs, load_before, load_after, root, server_note = sys.argv[1:9]
rows = [line.rstrip("\n").split("\t") for line in open(times_file) if line.strip()]

def parse(log):
    text = open(log, errors="replace").read()
    result = {"csc": None, "analyzers_total": None, "generators_total": None,
              "hg_analyzers": None, "hg_generator": None, "hg_per_analyzer": {}, "hg0001": 0}
    m = re.search(r"^\s*(\d+) ms\s+Csc\s+\d+ calls", text, re.M)
    if m:
        result["csc"] = int(m.group(1)) / 1000
    m = re.search(r"Total analyzer execution time: ([\d.]+) seconds", text)
    if m:
        result["analyzers_total"] = float(m.group(1))
    m = re.search(r"Total generator execution time: ([\d.]+) seconds", text)
    if m:
        result["generators_total"] = float(m.group(1))
    # ReportAnalyzer tables: "<seconds> <percent> <assembly or type>"; an assembly's analyzers follow it, indented.
    section = None
    in_healthgen = False
    for line in text.splitlines():
        if "Total analyzer execution time" in line:
            section, in_healthgen = "analyzers", False
            continue
        if "Total generator execution time" in line:
            section, in_healthgen = "generators", False
            continue
        m = re.match(r"^\s*([\d.]+|<0\.001)\s+(\d+|<1)\s+(\S.*?)\s*$", line)
        if not section or not m:
            continue
        seconds = 0.0 if m.group(1).startswith("<") else float(m.group(1))
        name = m.group(3)
        if re.match(r"^[\w.]+, Version=", name):
            in_healthgen = name.startswith("HealthGen.Generators,")
            if in_healthgen:
                result["hg_analyzers" if section == "analyzers" else "hg_generator"] = seconds
        elif in_healthgen and section == "analyzers":
            short = name.split(" ")[0].rsplit(".", 1)[-1]
            result["hg_per_analyzer"][short] = seconds
    result["hg0001"] = len(set(re.findall(r"warning HG0001:[^\[]*", text)))
    return result

data = {"with": [], "without": []}
for variant, run, seconds, log in rows:
    parsed = parse(log)
    parsed["wall"] = float(seconds)
    parsed["run"] = int(run)
    data[variant].append(parsed)

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"

def span(values):
    values = [v for v in values if v is not None]
    return f"{min(values):.2f}–{max(values):.2f}" if values else "n/a"

lines = []
lines.append(f"# HealthGen analyzers + generator on a {files}-file project")
lines.append("")
lines.append(f"- generated by `benchmarks/analyzers.sh` into artifacts/bench/analyzers/ ({files} files, 50 checks, 1 deliberate HG0001)")
lines.append(f"- {runs} builds per variant, alternating, after one warm-up each: `dotnet build -c Release --no-incremental -p:ReportAnalyzer=true -v:d --no-restore -p:BuildProjectReferences=false -clp:PerformanceSummary` (+ `-p:UseSharedCompilation=true` with the warm server)")
lines.append(f"- {server_note}; load average before: {load_before}, after: {load_after} (2 cores shared with other builds)")
lines.append("")
def paired(key):
    # The two builds of one round ran back to back: the median of their ratios is robust to load drifting between rounds.
    without = {r["run"]: r[key] for r in data["without"]}
    ratios = [r[key] / without[r["run"]] for r in data["with"] if r[key] and without.get(r["run"])]
    return f"{(statistics.median(ratios) - 1) * 100:+.1f} %" if ratios else "n/a"

lines.append("| variant | median build s | min–max | added % (medians) | added % (paired) | median Csc task s | added % Csc (medians) | added % Csc (paired) |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
base_wall = med([r["wall"] for r in data["without"]])
base_csc = med([r["csc"] for r in data["without"]])
for variant in ("without", "with"):
    wall = med([r["wall"] for r in data[variant]])
    csc = med([r["csc"] for r in data[variant]])
    added = "—" if variant == "without" else f"{(wall / base_wall - 1) * 100:+.1f} %"
    added_csc = "—" if variant == "without" or csc is None or base_csc is None else f"{(csc / base_csc - 1) * 100:+.1f} %"
    name = "with HealthGen (generator + analyzers)" if variant == "with" else "without (runtime reference only)"
    pair_wall = "—" if variant == "without" else paired("wall")
    pair_csc = "—" if variant == "without" else paired("csc")
    lines.append(f"| {name} | {fmt(wall)} | {span([r['wall'] for r in data[variant]])} | {added} | {pair_wall} | {fmt(csc)} | {added_csc} | {pair_csc} |")
lines.append("")
lines.append("added % (paired) = median over the rounds of (with / without - 1), the two builds of a round running back to back; "
             "it is the wall-time figure to read when the load drifts during the run (compare the min–max columns).")

w = data["with"]
lines.append("")
lines.append("Reported by the compiler (`-p:ReportAnalyzer=true`), medians over the builds with HealthGen; analyzer times are summed over the threads that ran them:")
lines.append("")
lines.append("| what | median s | share of the with-HealthGen build |")
lines.append("|---|---:|---:|")
wall_with = med([r["wall"] for r in w])
for label, key in (("HealthGen generator", "hg_generator"), ("HealthGen analyzers (all)", "hg_analyzers"),
                   ("all analyzers (SDK's included)", "analyzers_total"), ("all generators (SDK's included)", "generators_total")):
    value = med([r[key] for r in w])
    share = "n/a" if value is None else f"{value / wall_with * 100:.1f} %"
    lines.append(f"| {label} | {fmt(value, 3)} | {share} |")
hg_total = med([(r["hg_generator"] or 0) + (r["hg_analyzers"] or 0) for r in w])
lines.append(f"| HealthGen generator + analyzers | {fmt(hg_total, 3)} | {hg_total / wall_with * 100:.1f} % |")
lines.append("")
lines.append("The wall-time difference between the variants is the whole effect, but on a shared machine it is within the noise "
             "(see min–max). The reported time is what the compiler attributes to HealthGen: summed over threads, and without work the "
             "compiler shares between analyzers (such as the IOperation trees the SDK's own analyzers need as well).")
names = sorted({n for r in w for n in r["hg_per_analyzer"]})
if names:
    lines.append("")
    lines.append("| HealthGen analyzer | median s |")
    lines.append("|---|---:|")
    for n in sorted(names, key=lambda n: -(med([r["hg_per_analyzer"].get(n) for r in w]) or 0)):
        lines.append(f"| {n} | {fmt(med([r['hg_per_analyzer'].get(n) for r in w]), 3)} |")
lines.append("")
lines.append(f"HG0001 warnings in a build with HealthGen: {max(r['hg0001'] for r in w)} (one expected); "
             f"HealthGen in a build without it: {'none' if all(r['hg_analyzers'] is None and r['hg_generator'] is None for r in data['without']) else 'FOUND (the variants are not what they claim)'}.")
text = "\n".join(lines) + "\n"
open(report_file, "w").write(text)
print(text)
PY
echo "report: ${REPORT#"$ROOT"/}"
