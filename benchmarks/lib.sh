# Shell helpers shared by the benchmark scripts; sourced, not run.

# alive PID: whether the process runs (a zombie does not: nothing may reap orphans in a sandbox).
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$state" != Z* ]]; }

# stop_process PID [SIGNAL]: asks the process to stop (SIGTERM unless told otherwise: PostgreSQL's fast
# shutdown is INT), SIGKILL after 10 s, and reaps it when it is our child.
stop_process() {
    local pid=$1 signal=${2:-TERM}
    kill -"$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

# free_port: a free loopback port in 20000-31999, below the ephemeral range that client ports come from.
free_port() {
    python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(20000, 31999)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free loopback port in 20000-31999")
PY
}
