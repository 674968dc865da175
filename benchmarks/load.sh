#!/usr/bin/env bash
# load.sh: requests per second of HealthGen's probes over real HTTP, against a raw endpoint writing the same
# bytes and against MapHealthChecks (default "Healthy" writer, and a System.Text.Json
# source-generated writer with HealthGen's exact bytes), all served by ONE Kestrel process
# (benchmarks/HealthGen.Benchmarks.Server, variants in benchmarks/Shared/Variants.cs).
#
# What it does:
#   1. publishes the server: Release, framework-dependent (runs on the installed shared runtime with
#      `dotnet <dll>`, no RID, no self-contained runtime, no AOT) into artifacts/bench/server;
#   2. starts it on a free loopback port and checks that every variant answers 200, that raw, HealthGen and
#      MapHealthChecks-json send byte-identical bodies (and MapHealthChecks' default writer "Healthy");
#   3. warms every endpoint up (JIT tiering, pools), then runs `wrk -t1 -c32 -d${LOAD_SECONDS}s` on the livez
#      and the readyz of each variant, in alternation, for LOAD_ROUNDS rounds (the order rotates each round),
#      so drift in machine load hits every variant alike;
#   4. prints a markdown table (median requests/s over the rounds, min-max, and the ratios HealthGen/raw and
#      HealthGen/MapHealthChecks for both writers) and writes it to artifacts/bench/load.md; wrk's raw
#      output goes to artifacts/bench/load-wrk/.
#
# readyz: three synchronous checks. HealthGen caches readiness for 1 s (its default; so its readyz mostly
# answers from the cache), MapHealthChecks runs the checks on every request: that is the comparison a user
# of either gets out of the box.
#
# Pinning: off by default. LOAD_PIN=1 runs the server on CPU 0 and wrk on CPU 1 (taskset). On this 2-core
# machine, shared with other engineers' builds, pinning made the rounds LESS steady (min-max spread of 2-3x
# instead of 1.1-1.5x in side-by-side runs: a pinned server gets all of whatever build lands on its core),
# so unpinned it is, wrk and the server sharing both cores; try LOAD_PIN=1 on a quiet machine. The table
# records the load average before and after, and warns when the machine was busy.
#
# Run:   benchmarks/load.sh                         (from anywhere; about 8 x LOAD_ROUNDS x LOAD_SECONDS s)
#        LOAD_SECONDS=3 LOAD_ROUNDS=1 benchmarks/load.sh   (a quick check)
# Knobs: LOAD_SECONDS (5)   duration of each wrk run
#        LOAD_ROUNDS (3)    rounds; each round measures all 8 endpoints once
#        LOAD_WARMUP (2)    seconds of wrk per endpoint before measuring
#        LOAD_CONNECTIONS (32) wrk connections (-c); wrk uses one thread (-t1)
#        LOAD_PIN (0)       1: pin the server to CPU 0 and wrk to CPU 1; 0: no pinning
#        LOAD_BUILD (1)     0: reuse the last publish in artifacts/bench/server
# Needs: the .NET 10 SDK, wrk (apt-get install -y wrk), curl, python3 (to find a free port).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_SECONDS=${LOAD_SECONDS:-5}
LOAD_ROUNDS=${LOAD_ROUNDS:-3}
LOAD_WARMUP=${LOAD_WARMUP:-2}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
LOAD_PIN=${LOAD_PIN:-0}
LOAD_BUILD=${LOAD_BUILD:-1}

OUT_DIR=$ROOT/artifacts/bench
PUBLISH_DIR=$OUT_DIR/server
WRK_DIR=$OUT_DIR/load-wrk
SERVER_DLL=$PUBLISH_DIR/HealthGen.Benchmarks.Server.dll

for tool in dotnet wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "load.sh: $tool is missing" >&2; exit 1; }
done

WORK=$(mktemp -d -t healthgen-load-XXXXXX)
SERVER_PID=""
# shellcheck source=lib.sh
source "$ROOT/benchmarks/lib.sh"   # alive, stop_process, free_port
stop_server() { stop_process "$SERVER_PID"; SERVER_PID=""; }
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then stop_server; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER_CPU=()
WRK_CPU=()
if [[ "$LOAD_PIN" == 1 ]]; then
    if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
        SERVER_CPU=(taskset -c 0)
        WRK_CPU=(taskset -c 1)
    else
        echo "load.sh: LOAD_PIN=1 needs taskset and 2 CPUs; running unpinned" >&2
        LOAD_PIN=0
    fi
fi

# --- 1. publish -------------------------------------------------------------------------------------------
mkdir -p "$OUT_DIR" "$WRK_DIR"
rm -f "$WRK_DIR"/round*.txt
if [[ "$LOAD_BUILD" == 1 || ! -f "$SERVER_DLL" ]]; then
    echo "publishing benchmarks/HealthGen.Benchmarks.Server (Release, framework-dependent) ..." >&2
    dotnet publish "$ROOT/benchmarks/HealthGen.Benchmarks.Server/HealthGen.Benchmarks.Server.csproj" \
        -c Release -o "$PUBLISH_DIR" -nologo -v quiet >"$WORK/publish.log" 2>&1 \
        || { cat "$WORK/publish.log" >&2; exit 1; }
fi

# --- 2. start and verify ----------------------------------------------------------------------------------

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"${SERVER_CPU[@]}" dotnet "$SERVER_DLL" --urls "$BASE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    if ! alive "$SERVER_PID"; then
        echo "load.sh: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1
    fi
    curl -fs -o /dev/null "$BASE/raw/livez" && break
    sleep 0.2
done
curl -fs -o /dev/null "$BASE/raw/livez" || { echo "load.sh: the server did not answer on $BASE" >&2; cat "$WORK/server.log" >&2; exit 1; }

VARIANTS=(raw hg mhc mhc-json)
declare -A LABEL=(
    [raw]="raw endpoint"
    [hg]="HealthGen"
    [mhc]="MapHealthChecks (default writer)"
    [mhc-json]="MapHealthChecks (STJ source-gen writer)"
)

# fetch PATH -> "STATUS<TAB>CONTENT-TYPE", body in $WORK/body
fetch() {
    curl -s -o "$WORK/body" -w '%{http_code}\t%{content_type}' "$BASE$1"
}

HEADER_NOTES=""
for probe in livez readyz; do
    reference=""
    for v in "${VARIANTS[@]}"; do
        meta=$(fetch "/$v/$probe")
        status=${meta%%$'\t'*}
        body=$(cat "$WORK/body")
        if [[ "$status" != 200 ]]; then
            echo "load.sh: /$v/$probe answered $status '$body', expected 200" >&2; exit 1
        fi
        if [[ "$v" == mhc ]]; then
            [[ "$body" == Healthy ]] || { echo "load.sh: /mhc/$probe answered '$body', expected 'Healthy'" >&2; exit 1; }
        else
            [[ "${meta#*$'\t'}" == "application/json; charset=utf-8" ]] \
                || { echo "load.sh: /$v/$probe has Content-Type '${meta#*$'\t'}'" >&2; exit 1; }
            if [[ -z "$reference" ]]; then
                reference=$body
            elif [[ "$body" != "$reference" ]]; then
                echo "load.sh: /$v/$probe answered '$body', /raw/$probe '$reference': the bodies must be identical" >&2; exit 1
            fi
        fi
    done
    echo "verified $probe: raw, hg, mhc-json answer 200 $reference; mhc answers 200 Healthy" >&2
    # The raw endpoint is meant to send HealthGen's exact response: note any header difference (Date aside).
    for v in raw hg; do
        curl -s -D - -o /dev/null "$BASE/$v/$probe" | tr -d '\r' | grep -iv '^date:' | grep -v '^$' | sort >"$WORK/headers-$v"
    done
    if ! diff -q "$WORK/headers-raw" "$WORK/headers-hg" >/dev/null; then
        HEADER_NOTES+="- $probe: HealthGen's response headers differ from the raw endpoint's: $(diff "$WORK/headers-raw" "$WORK/headers-hg" | grep '^[<>]' | sed 's/^</raw:/; s/^>/HealthGen:/' | paste -sd ';' -)"$'\n'
    fi
done

# --- 3. warm up and measure -------------------------------------------------------------------------------
# run_wrk SECONDS PATH OUTFILE -> prints requests/s; fails on non-2xx answers.
run_wrk() {
    local seconds=$1 path=$2 out=$3
    "${WRK_CPU[@]}" wrk -t1 -c"$LOAD_CONNECTIONS" -d"${seconds}s" "$BASE$path" >"$out" 2>&1
    if grep -q 'Non-2xx or 3xx responses' "$out"; then
        echo "load.sh: $path answered non-2xx under load:" >&2; cat "$out" >&2; exit 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' "$out"
}

echo "warming up ($LOAD_WARMUP s per endpoint) ..." >&2
for probe in livez readyz; do
    for v in "${VARIANTS[@]}"; do
        run_wrk "$LOAD_WARMUP" "/$v/$probe" "$WORK/warmup.txt" >/dev/null
    done
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RESULTS=()   # "variant probe" -> space-separated requests/s of each round
ERRORS=""
for round in $(seq 1 "$LOAD_ROUNDS"); do
    shift_by=$(( (round - 1) % ${#VARIANTS[@]} ))
    order=("${VARIANTS[@]:shift_by}" "${VARIANTS[@]:0:shift_by}")
    for probe in livez readyz; do
        for v in "${order[@]}"; do
            out="$WRK_DIR/round$round-$v-$probe.txt"
            rps=$(run_wrk "$LOAD_SECONDS" "/$v/$probe" "$out")
            RESULTS["$v $probe"]="${RESULTS["$v $probe"]:-} $rps"
            if grep -q 'Socket errors' "$out"; then
                ERRORS+="- round $round /$v/$probe: $(grep 'Socket errors' "$out" | sed 's/^ *//')"$'\n'
            fi
            printf 'round %s/%s  %-9s %-6s %12s req/s\n' "$round" "$LOAD_ROUNDS" "$v" "$probe" "$rps" >&2
        done
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 4. report --------------------------------------------------------------------------------------------
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f–%.0f", lo, hi }'; }
declare -A MEDIAN=()
for v in "${VARIANTS[@]}"; do
    for probe in livez readyz; do
        MEDIAN["$v $probe"]=$(median <<<"${RESULTS["$v $probe"]}")
    done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%.0f", a }'; }

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain -- src benchmarks 2>/dev/null)" ]]; then COMMIT+=" + uncommitted changes in src/ or benchmarks/"; fi
if [[ "$LOAD_PIN" == 1 ]]; then PINNING="server pinned to CPU 0, wrk to CPU 1 (taskset)"; else PINNING="no pinning"; fi

{
    echo "## Probe load: requests/s over HTTP (wrk)"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT. One Kestrel process (Release, framework-dependent, .NET $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }'), workstation GC) serving every variant;"
    echo "\`wrk -t1 -c$LOAD_CONNECTIONS -d${LOAD_SECONDS}s\` per endpoint, $LOAD_ROUNDS round(s) in alternation, after ${LOAD_WARMUP} s warm-up each;"
    echo "$(nproc) CPUs, $PINNING; load average $LOAD_BEFORE before, $LOAD_AFTER after."
    if awk -v l="${LOAD_BEFORE%% *}" -v m="${LOAD_AFTER%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n + 1 || m > n + 1) }'; then
        echo "**The machine was busy: 1-minute load average above $(( $(nproc) + 1 )) (wrk and the server account for about 2), so other work competed for the CPUs. Treat these figures as rough; the min–max columns show how rough.**"
    fi
    echo "Median over rounds (min–max). readyz = three synchronous checks; HealthGen caches readiness 1 s (default), MapHealthChecks runs them on every request."
    echo
    echo "| variant | livez req/s | livez min–max | readyz req/s | readyz min–max |"
    echo "|---|---:|---:|---:|---:|"
    for v in "${VARIANTS[@]}"; do
        echo "| ${LABEL[$v]} | $(fmt "${MEDIAN["$v livez"]}") | $(range <<<"${RESULTS["$v livez"]}") | $(fmt "${MEDIAN["$v readyz"]}") | $(range <<<"${RESULTS["$v readyz"]}") |"
    done
    echo
    echo "| ratio (of medians) | livez | readyz |"
    echo "|---|---:|---:|"
    echo "| HealthGen / raw | $(ratio "${MEDIAN["hg livez"]}" "${MEDIAN["raw livez"]}") | $(ratio "${MEDIAN["hg readyz"]}" "${MEDIAN["raw readyz"]}") |"
    echo "| HealthGen / MapHealthChecks (default writer) | $(ratio "${MEDIAN["hg livez"]}" "${MEDIAN["mhc livez"]}") | $(ratio "${MEDIAN["hg readyz"]}" "${MEDIAN["mhc readyz"]}") |"
    echo "| HealthGen / MapHealthChecks (STJ source-gen writer) | $(ratio "${MEDIAN["hg livez"]}" "${MEDIAN["mhc-json livez"]}") | $(ratio "${MEDIAN["hg readyz"]}" "${MEDIAN["mhc-json readyz"]}") |"
    if [[ -n "$HEADER_NOTES" ]]; then
        echo
        printf '%s' "$HEADER_NOTES"
    fi
    if [[ -n "$ERRORS" ]]; then
        echo
        echo "wrk reported socket errors:"
        echo
        printf '%s' "$ERRORS"
    fi
} >"$WORK/load.md"

cp "$WORK/load.md" "$OUT_DIR/load.md"
cat "$OUT_DIR/load.md"
echo >&2
echo "written to artifacts/bench/load.md (wrk output: artifacts/bench/load-wrk/)" >&2
