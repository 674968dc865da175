#!/usr/bin/env bash
# Native AOT: HealthGen's sample against the same application on MapHealthChecks.
#
# What it measures, for samples/HealthGen.Sample (HealthGen) and benchmarks/HealthGen.Benchmarks.AnchorApp
# (the same checks, dependencies, configuration, endpoints and bodies on ASP.NET Core's MapHealthChecks),
# both published native AOT for linux-x64 / net10.0:
#   (a) binary size: the single native executable in bytes. Excluded: the .dbg symbol file and
#       libe_sqlite3.so (the same 1.4 MB file next to both binaries).
#   (b) start to first 200 on /healthz/startupz, with Sample__WarmupMs=0: timestamp (date +%s%N), exec the
#       binary with --urls http://127.0.0.1:PORT, poll with curl until 200. AOT_RUNS runs per app (default
#       20), alternating sample/anchor so both see the same machine load; median and p90 (nearest rank), ms.
#       Also the CPU time the app's threads used until that 200 (/proc/PID/task/*/schedstat), which other
#       processes on a shared machine disturb much less than the wall-clock time.
#   (c) RSS (VmRSS from /proc/PID/status) right after start (first 200 on startupz) and after 1,000 probe
#       requests (livez, readyz, startupz in turn, over one keep-alive connection: one curl process reading
#       its URLs from a config file; the script checks that curl connected once and got 1,000 answers 200).
#       AOT_RSS_RUNS runs per app (default 3), alternating; the median is reported.
# Before measuring, both apps must answer 200 on livez, readyz and startupz, and the two must give the same
# status codes and bodies on every probe; otherwise the script stops with what differed.
#
# Run from anywhere (2 cores: do not run it while another heavy build runs, and expect ~5 minutes,
# most of it the two native publishes, one after the other):
#   benchmarks/aot.sh                       # publish both, measure, print the table
#   AOT_RUNS=20 AOT_PUBLISH=0 benchmarks/aot.sh   # measure binaries already published by an earlier run
# Output: the markdown table on stdout and in artifacts/bench/aot.md; binaries in artifacts/bench/aot/<name>,
# publish logs and per-run app logs in artifacts/bench/aot/logs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${AOT_RUNS:-20}"
rss_runs="${AOT_RSS_RUNS:-3}"
publish="${AOT_PUBLISH:-1}"
out="$root/artifacts/bench/aot"
logs="$out/logs"
report="$root/artifacts/bench/aot.md"

names=(sample anchor)
declare -A project=(
  [sample]="$root/samples/HealthGen.Sample/HealthGen.Sample.csproj"
  [anchor]="$root/benchmarks/HealthGen.Benchmarks.AnchorApp/HealthGen.Benchmarks.AnchorApp.csproj"
)
declare -A binary=(
  [sample]="$out/sample/HealthGen.Sample"
  [anchor]="$out/anchor/HealthGen.Benchmarks.AnchorApp"
)

fail() { echo "aot.sh: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source "$root/benchmarks/lib.sh"   # alive, stop_process, free_port

command -v curl >/dev/null || fail "curl is required"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "AOT_RUNS must be a positive integer (was '$runs')"
[[ "$rss_runs" =~ ^[1-9][0-9]*$ ]] || fail "AOT_RSS_RUNS must be a positive integer (was '$rss_runs')"

work="$(mktemp -d)"
started_pids=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The same configuration for both: no warm-up delay, the SQL resolver's SQLite file in our own temp dir,
# no optional dependency (PostgreSQL, HSM, LDAP) switched on, production environment.
export Sample__WarmupMs=0
export Sample__UsersDatabase="$work/users.db"
unset ConnectionStrings__Postgres Hsm__Module Ldap__Resolvers__ldapresolver1__Url ASPNETCORE_URLS ASPNETCORE_HTTP_PORTS HTTP_PORTS || true
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production

mkdir -p "$out" "$logs"

# ---------------------------------------------------------------------------------------------- publish
if [[ "$publish" != 0 ]]; then
  for name in "${names[@]}"; do
    echo "publishing $name (native AOT, linux-x64, net10.0)..." >&2
    rm -rf "${out:?}/$name"
    if ! dotnet publish "${project[$name]}" -c Release -r linux-x64 -f net10.0 -o "$out/$name" >"$logs/publish-$name.log" 2>&1; then
      tail -n 30 "$logs/publish-$name.log" >&2
      fail "publishing $name failed (log: $logs/publish-$name.log)"
    fi
    if grep -Eq 'warning IL[23][0-9]{3}|error IL[23][0-9]{3}' "$logs/publish-$name.log"; then
      grep -E 'IL[23][0-9]{3}' "$logs/publish-$name.log" | sort -u >&2
      fail "the native publish of $name has trim/AOT warnings"
    fi
  done
fi
for name in "${names[@]}"; do
  [[ -x "${binary[$name]}" ]] || fail "${binary[$name]} is missing: run without AOT_PUBLISH=0"
done

# -------------------------------------------------------------------------------------------- helpers
# A free port below the ephemeral range (so curl's own client ports never collide with it).
# start NAME PORT LOG: timestamps, then execs the binary from its publish directory (its content root,
# where appsettings.json is, as in a container's WORKDIR). Sets app_pid and app_t0 (ns).
start() {
  local name="$1" port="$2" log="$3" dir
  dir="$(dirname "${binary[$name]}")"
  app_t0="$(date +%s%N)"
  (cd "$dir" && exec "${binary[$name]}" --urls "http://127.0.0.1:$port") >"$log" 2>&1 &
  app_pid=$!
  started_pids+=("$app_pid")
}

# wait_200 PID PORT LOG: polls /healthz/startupz until 200 (30 s at most); prints the time of the 200 (ns)
# and the CPU time the app's threads have used by then (ns, /proc/PID/task/*/schedstat).
wait_200() {
  local pid="$1" port="$2" log="$3" deadline code t1
  deadline=$(( $(date +%s) + 30 ))
  while true; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz/startupz" || true)"
    if [[ "$code" == 200 ]]; then
      t1="$(date +%s%N)"
      echo "$t1 $(cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }')"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      fail "the app (pid $pid) exited before /healthz/startupz answered 200 (log: $log)"
    fi
    (( $(date +%s) < deadline )) || fail "/healthz/startupz did not answer 200 within 30 s (last: $code; log: $log)"
  done
}

stop() { stop_process "$1"; }

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# median / p90 (nearest rank) of numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p90() { sort -n | awk '{ v[NR] = $1 } END { r = int(0.9 * NR); if (r < 0.9 * NR) r++; print v[r] }'; }

# ------------------------------------------------------------------------- preflight: both apps answer
declare -A answers=()
for name in "${names[@]}"; do
  port="$(free_port)"
  log="$logs/preflight-$name.log"
  start "$name" "$port" "$log"
  wait_200 "$app_pid" "$port" "$log" >/dev/null
  for probe in livez readyz startupz; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz/$probe")"
    [[ "$code" == 200 ]] || fail "$name answered $code on /healthz/$probe (log: $log)"
  done
  for probe in "" /livez /readyz /startupz /resolversz; do
    answers[$name$probe]="$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port/healthz$probe")"
  done
  stop "$app_pid"
done
for probe in "" /livez /readyz /startupz /resolversz; do
  if [[ "${answers[sample$probe]}" != "${answers[anchor$probe]}" ]]; then
    fail "the apps answer /healthz$probe differently: sample '${answers[sample$probe]}', anchor '${answers[anchor$probe]}'"
  fi
  echo "both answer /healthz$probe: ${answers[sample$probe]}" >&2
done

# ------------------------------------------------------------------- (b) start to first 200, alternating
declare -A startup_ms=() startup_cpu_ms=() last=()
for ((i = 1; i <= runs; i++)); do
  for name in "${names[@]}"; do
    port="$(free_port)"
    log="$logs/startup-$name-$i.log"
    start "$name" "$port" "$log"
    read -r t1 cpu_ns <<<"$(wait_200 "$app_pid" "$port" "$log")"
    last[$name]="$(awk -v a="$app_t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
    startup_ms[$name]+="${last[$name]} "
    startup_cpu_ms[$name]+="$(awk -v c="$cpu_ns" 'BEGIN { printf "%.1f", c / 1e6 }') "
    stop "$app_pid"
  done
  echo "start-up run $i/$runs: sample ${last[sample]} ms, anchor ${last[anchor]} ms" >&2
done

# ------------------------------------------------------------------ (c) RSS after start and 1,000 probes
probes_config="$work/probes.curl"
declare -A rss_start=() rss_after=()
for ((i = 1; i <= rss_runs; i++)); do
  for name in "${names[@]}"; do
    port="$(free_port)"
    log="$logs/rss-$name-$i.log"
    start "$name" "$port" "$log"
    wait_200 "$app_pid" "$port" "$log" >/dev/null
    rss_start[$name]+="$(rss_kb "$app_pid") "
    : >"$probes_config"
    paths=(livez readyz startupz)
    for ((n = 0; n < 1000; n++)); do
      printf 'url = "http://127.0.0.1:%s/healthz/%s"\noutput = "/dev/null"\n' "$port" "${paths[n % 3]}" >>"$probes_config"
    done
    results="$(curl -s -K "$probes_config" -w '%{http_code} %{num_connects}\n')"
    answered="$(grep -c '^200 ' <<<"$results" || true)"
    connects="$(awk '{ c += $2 } END { print c }' <<<"$results")"
    [[ "$answered" == 1000 ]] || fail "$name answered $answered of 1000 probes with 200 (log: $log)"
    [[ "$connects" == 1 ]] || fail "curl opened $connects connections for the 1000 probes to $name, expected 1 (keep-alive)"
    rss_after[$name]+="$(rss_kb "$app_pid") "
    stop "$app_pid"
  done
done

# ------------------------------------------------------------------------------------------- report
size() { stat -c %s "${binary[$1]}"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
stat_of() { tr ' ' '\n' <<<"$2" | grep . | "$1"; }

s_size="$(size sample)"; a_size="$(size anchor)"
s_med="$(stat_of median "${startup_ms[sample]}")"; a_med="$(stat_of median "${startup_ms[anchor]}")"
s_p90="$(stat_of p90 "${startup_ms[sample]}")"; a_p90="$(stat_of p90 "${startup_ms[anchor]}")"
s_cpu="$(stat_of median "${startup_cpu_ms[sample]}")"; a_cpu="$(stat_of median "${startup_cpu_ms[anchor]}")"
s_rss0="$(stat_of median "${rss_start[sample]}")"; a_rss0="$(stat_of median "${rss_start[anchor]}")"
s_rss1="$(stat_of median "${rss_after[sample]}")"; a_rss1="$(stat_of median "${rss_after[anchor]}")"
kb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

{
  echo "## Native AOT: HealthGen sample vs MapHealthChecks app"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD)$([[ -z "$(git -C "$root" status --porcelain -- src samples 2>/dev/null)" ]] || echo ' (with uncommitted changes in src/ or samples/)'),"
  echo "$(nproc) cores, $(uname -sr), load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "linux-x64, net10.0, native AOT; Sample__WarmupMs=0; start-up: $runs runs each, alternating; RSS: $rss_runs runs each, median."
  echo
  echo "| measure | HealthGen sample | MapHealthChecks app | ratio (sample/anchor) |"
  echo "|---|---|---|---|"
  echo "| binary size (executable only; .dbg and libe_sqlite3.so excluded) | $s_size B ($(mb "$s_size")) | $a_size B ($(mb "$a_size")) | $(ratio "$s_size" "$a_size") |"
  echo "| start to first 200 on /healthz/startupz, median | $s_med ms | $a_med ms | $(ratio "$s_med" "$a_med") |"
  echo "| start to first 200 on /healthz/startupz, p90 | $s_p90 ms | $a_p90 ms | $(ratio "$s_p90" "$a_p90") |"
  echo "| CPU time used by the app until that 200 (all threads), median | $s_cpu ms | $a_cpu ms | $(ratio "$s_cpu" "$a_cpu") |"
  echo "| RSS right after start (first 200) | $(kb "$s_rss0") | $(kb "$a_rss0") | $(ratio "$s_rss0" "$a_rss0") |"
  echo "| RSS after 1,000 probes (livez/readyz/startupz, keep-alive) | $(kb "$s_rss1") | $(kb "$a_rss1") | $(ratio "$s_rss1" "$a_rss1") |"
  echo
  echo "Targets: size ratio <= 1.05 ($(awk -v r="$(ratio "$s_size" "$a_size")" 'BEGIN { print (r <= 1.05) ? "met" : "MISSED" }')),"
  echo "start-up median ratio <= 1.0 ($(awk -v r="$(ratio "$s_med" "$a_med")" 'BEGIN { print (r <= 1.0) ? "met" : "MISSED" }'))."
  echo
  echo "Start-up samples (ms), sample: ${startup_ms[sample]}"
  echo "Start-up samples (ms), anchor: ${startup_ms[anchor]}"
  echo "CPU time samples (ms), sample: ${startup_cpu_ms[sample]}"
  echo "CPU time samples (ms), anchor: ${startup_cpu_ms[anchor]}"
} | tee "$report"
