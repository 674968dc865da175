#!/usr/bin/env bash
# storm.sh: a readiness-probe storm against a real PostgreSQL, counted on the database side. HealthGen's
# readiness cache (1 s, the default) and single flight should turn N concurrent probes into one query per
# second; MapHealthChecks runs its check, so one query, per request.
#
# What it does:
#   1. publishes benchmarks/HealthGen.Benchmarks.Server (Release, framework-dependent) into
#      artifacts/bench/server;
#   2. starts a throwaway PostgreSQL (initdb in a temp dir, trust auth, loopback only, a free port,
#      shared_preload_libraries=pg_stat_statements), creates the extension and a database "storm";
#   3. starts the server in storm mode (`--postgres "<connection string>"`): /hg/readyz is HealthGen with one
#      check, PostgresHealth.PingAsync (SELECT 1) over a singleton NpgsqlDataSource; /mhc/readyz is
#      MapHealthChecks with an IHealthCheck running the same SELECT 1 on a pooled connection of that data
#      source; checks both answer 200 with the same body, warms both up;
#   4. for each: pg_stat_statements_reset(), `wrk -t2 -c${STORM_CONNECTIONS} -d${STORM_SECONDS}s`, then reads
#      how often PostgreSQL executed the ping (pg_stat_statements calls of "SELECT $1" in database "storm"),
#      and every statement there; as an independent cross-check, stops the server and compares the transactions
#      committed in "storm" over its life (pg_stat_database.xact_commit, complete only once its backends exited)
#      with the statements pg_stat_statements counted;
#   5. prints a markdown table and writes it to artifacts/bench/storm.md; exits 1 if HealthGen needed more
#      than STORM_SECONDS + 1 queries (one per cache window, plus the window the run starts in).
# PostgreSQL and the server are stopped by PID on exit, and the temp dir removed.
#
# Run:   benchmarks/storm.sh                (under a minute, plus the publish)
# Knobs: STORM_SECONDS (10)      duration of each storm
#        STORM_CONNECTIONS (64)  concurrent wrk connections (2 wrk threads)
#        STORM_BUILD (1)         0: reuse the last publish in artifacts/bench/server
# Needs: the .NET 10 SDK, PostgreSQL 15+ server binaries (/usr/lib/postgresql/*/bin) with pg_stat_statements,
#        psql, wrk, curl, python3; root (PostgreSQL runs as user postgres via runuser) or user postgres.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STORM_SECONDS=${STORM_SECONDS:-10}
STORM_CONNECTIONS=${STORM_CONNECTIONS:-64}
STORM_BUILD=${STORM_BUILD:-1}

OUT_DIR=$ROOT/artifacts/bench
PUBLISH_DIR=$OUT_DIR/server
SERVER_DLL=$PUBLISH_DIR/HealthGen.Benchmarks.Server.dll

for tool in dotnet wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "storm.sh: $tool is missing" >&2; exit 1; }
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || { echo "storm.sh: PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install -y postgresql)" >&2; exit 1; }
PSQL=$PG_BIN/psql
[[ -x "$PSQL" ]] || PSQL=$(command -v psql) || { echo "storm.sh: psql is missing" >&2; exit 1; }
[[ -f "$("$PG_BIN/pg_config" --pkglibdir 2>/dev/null || echo /nonexistent)/pg_stat_statements.so" ]] \
    || echo "storm.sh: warning: pg_stat_statements.so not found where pg_config says; trying anyway" >&2

as_postgres() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

WORK=$(mktemp -d -t healthgen-storm-XXXXXX)
SERVER_PID=""
PG_PID=""
# shellcheck source=lib.sh
source "$ROOT/benchmarks/lib.sh"   # alive, stop_process, free_port
stop_server() { stop_process "$SERVER_PID"; SERVER_PID=""; }
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then stop_server; fi
    if [[ -n "$PG_PID" ]] && alive "$PG_PID"; then stop_process "$PG_PID" INT; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. publish -------------------------------------------------------------------------------------------
mkdir -p "$OUT_DIR"
if [[ "$STORM_BUILD" == 1 || ! -f "$SERVER_DLL" ]]; then
    echo "publishing benchmarks/HealthGen.Benchmarks.Server (Release, framework-dependent) ..." >&2
    dotnet publish "$ROOT/benchmarks/HealthGen.Benchmarks.Server/HealthGen.Benchmarks.Server.csproj" \
        -c Release -o "$PUBLISH_DIR" -nologo -v quiet >"$WORK/publish.log" 2>&1 \
        || { cat "$WORK/publish.log" >&2; exit 1; }
fi

# --- 2. PostgreSQL ----------------------------------------------------------------------------------------
PG_DIR=$WORK/pg
mkdir -p "$PG_DIR"
chmod 755 "$WORK"   # mktemp makes it 0700; user postgres must reach its data directory inside
if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$PG_DIR"; fi
PG_PORT=$(free_port)
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")

sql() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
sql "CREATE EXTENSION pg_stat_statements" >/dev/null
sql "CREATE DATABASE storm" >/dev/null
PG_VERSION=$(sql "SHOW server_version")

# --- 3. the server ----------------------------------------------------------------------------------------
STORM_DB_OID=$(sql "SELECT oid FROM pg_database WHERE datname = 'storm'")
# Executions of the ping in database "storm". Npgsql sends SELECT 1 unparameterized; pg_stat_statements
# stores it normalized as "SELECT $1". All statements: Npgsql also resets a pooled connection with
# DISCARD ALL before reusing it (sent with the next command), one more statement per ping.
ping_calls() { sql "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = $STORM_DB_OID AND query = 'SELECT \$1'"; }
all_calls() { sql "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = $STORM_DB_OID"; }
other_statements() { sql "SELECT string_agg(calls || ' x ' || left(regexp_replace(query, '\s+', ' ', 'g'), 60), '; ' ORDER BY calls DESC) FROM pg_stat_statements WHERE dbid = $STORM_DB_OID AND query <> 'SELECT \$1'"; }
# pg_stat_database is the cross-check, but a backend flushes its statistics there when it exits (an idle one
# may sit on them indefinitely): so it is read once, over the server's whole life, after the server exited
# and its pooled connections closed.
db_counters() { sql "SELECT xact_commit || ' ' || sessions FROM pg_stat_database WHERE datname = 'storm'"; }
# No backend of "storm" exists yet, so these are complete; count every statement from here on.
read -r XACT_START SESSIONS_START <<<"$(db_counters)"
sql "SELECT pg_stat_statements_reset()" >/dev/null
SEEN_STATEMENTS=0

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
CONNECTION_STRING="Host=127.0.0.1;Port=$PG_PORT;Database=storm;Username=postgres;Timeout=5"
dotnet "$SERVER_DLL" --urls "$BASE" --postgres "$CONNECTION_STRING" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    if ! alive "$SERVER_PID"; then
        echo "storm.sh: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1
    fi
    curl -fs -o /dev/null "$BASE/hg/livez" && break
    sleep 0.2
done

EXPECTED='{"status":"ready","postgres":"OK"}'
for path in /hg/readyz /mhc/readyz; do
    status=$(curl -s -o "$WORK/body" -w '%{http_code}' "$BASE$path")
    body=$(cat "$WORK/body")
    if [[ "$status" != 200 || "$body" != "$EXPECTED" ]]; then
        echo "storm.sh: $path answered $status '$body', expected 200 '$EXPECTED'" >&2; cat "$WORK/server.log" >&2; exit 1
    fi
done
echo "verified: /hg/readyz and /mhc/readyz answer 200 $EXPECTED" >&2

echo "warming up (2 s each) ..." >&2
for path in /hg/readyz /mhc/readyz; do
    wrk -t2 -c"$STORM_CONNECTIONS" -d2s "$BASE$path" >/dev/null 2>&1
done

# --- 4. the storms ----------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A REQUESTS=() QUERIES=() ALL=() OTHERS=() RPS=() P99=() NON2XX=() SOCKET=()
for variant in hg mhc; do
    (( SEEN_STATEMENTS += $(all_calls) )) || true   # since the last reset: server start and warm-up, or the previous storm
    sql "SELECT pg_stat_statements_reset()" >/dev/null
    out=$OUT_DIR/storm-wrk-$variant.txt
    wrk -t2 -c"$STORM_CONNECTIONS" -d"${STORM_SECONDS}s" --latency "$BASE/$variant/readyz" >"$out" 2>&1
    QUERIES[$variant]=$(ping_calls)
    ALL[$variant]=$(all_calls)
    OTHERS[$variant]=$(other_statements)
    REQUESTS[$variant]=$(awk '/requests in/ { print $1 }' "$out")
    RPS[$variant]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    P99[$variant]=$(awk '$1 == "99%" { print $2 }' "$out")
    NON2XX[$variant]=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    NON2XX[$variant]=${NON2XX[$variant]:-0}
    SOCKET[$variant]=$(grep 'Socket errors' "$out" | sed 's/^ *Socket errors: //' || true)
    echo "$variant: ${REQUESTS[$variant]} requests, ${QUERIES[$variant]} ping queries, ${ALL[$variant]} statements" >&2
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Stop the server (SIGTERM: a graceful stop), wait until its backends are gone, then read the cross-check.
stop_server
for _ in $(seq 1 100); do
    [[ $(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'storm'") == 0 ]] && break
    sleep 0.1
done
(( SEEN_STATEMENTS += $(all_calls) )) || true
read -r XACT_END SESSIONS_END <<<"$(db_counters)"
XACTS=$(( XACT_END - XACT_START ))
SESSIONS=$(( SESSIONS_END - SESSIONS_START ))

# --- 5. report --------------------------------------------------------------------------------------------
per_request() { awk -v q="$1" -v r="$2" 'BEGIN { if (r > 0) printf (q / r < 0.01 ? "%.5f" : "%.2f"), q / r; else print "n/a" }'; }
TARGET=$(( STORM_SECONDS + 1 ))
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain -- src benchmarks 2>/dev/null)" ]]; then COMMIT+=" + uncommitted changes in src/ or benchmarks/"; fi
if (( QUERIES[hg] <= TARGET )); then VERDICT="met"; else VERDICT="NOT met"; fi
declare -A LABEL=([hg]="HealthGen (/hg/readyz, readiness cache 1 s)" [mhc]="MapHealthChecks (/mhc/readyz)")

{
    echo "## Readiness probe storm against PostgreSQL"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT. PostgreSQL $PG_VERSION on loopback (throwaway, fsync off);"
    echo "one Kestrel server (Release, framework-dependent), one check: SELECT 1 on a pooled connection of a singleton NpgsqlDataSource."
    echo "\`wrk -t2 -c$STORM_CONNECTIONS -d${STORM_SECONDS}s\` per variant, counters reset before each; $(nproc) CPUs shared by wrk, the server and PostgreSQL, no pinning;"
    echo "load average $LOAD_BEFORE before, $LOAD_AFTER after (query counts do not depend on it; req/s and latency do)."
    echo
    echo "| variant | requests served | PostgreSQL queries | queries per request | all statements | req/s | p99 latency | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for v in hg mhc; do
        echo "| ${LABEL[$v]} | ${REQUESTS[$v]} | ${QUERIES[$v]} | $(per_request "${QUERIES[$v]}" "${REQUESTS[$v]}") | ${ALL[$v]} | ${RPS[$v]} | ${P99[$v]} | ${NON2XX[$v]} |"
    done
    echo
    echo "- Target: HealthGen at most $TARGET queries in $STORM_SECONDS s (one per 1 s cache window, single flight): **$VERDICT** (${QUERIES[hg]})."
    echo "- requests served: wrk's count of completed responses. PostgreSQL queries: pg_stat_statements calls of the"
    echo "  ping (\`SELECT \$1\`) in the server's database during the storm (requests still in flight when wrk stops"
    echo "  were executed but not counted by wrk, so MapHealthChecks shows a few more queries than requests)."
    echo "- all statements: everything pg_stat_statements saw in that database during the storm: the ping, and"
    echo "  Npgsql's reset of a pooled connection before reuse (DISCARD ALL, sent along with the next command)."
    for v in hg mhc; do
        if [[ -n "${OTHERS[$v]}" ]]; then echo "  Besides the ping ($v): ${OTHERS[$v]}."; fi
    done
    echo "- Cross-check, pg_stat_database over the server's whole life (start, warm-up, both storms; read after it"
    echo "  exited, since backends flush these statistics when they end): $XACTS transactions committed, for"
    echo "  $SEEN_STATEMENTS statements counted by pg_stat_statements and $SESSIONS sessions (each statement outside a"
    echo "  transaction block commits one; each session commits one while starting; Npgsql's type loading on the"
    echo "  first connection batches several statements into one): statements + sessions = $(( SEEN_STATEMENTS + SESSIONS ))."
    for v in hg mhc; do
        if [[ -n "${SOCKET[$v]}" ]]; then echo "- wrk socket errors ($v): ${SOCKET[$v]}."; fi
    done
} >"$WORK/storm.md"

cp "$WORK/storm.md" "$OUT_DIR/storm.md"
cat "$OUT_DIR/storm.md"
echo >&2
echo "written to artifacts/bench/storm.md (wrk output: artifacts/bench/storm-wrk-*.txt)" >&2
if [[ "$VERDICT" != met || "${NON2XX[hg]}" != 0 || "${NON2XX[mhc]}" != 0 ]]; then
    echo "storm.sh: HealthGen exceeded $TARGET queries, or a probe answered non-2xx" >&2
    exit 1
fi
