# shellcheck shell=bash
# What the benchmarks share: their options, a broker of their own, and the synthetic events on it.

BENCH_HOME=$PLATFORM_HOME/bench
BENCH_PORT=${BENCH_KAFKA_PORT:-29092}

# --events N --customers N --keep -h; sets events, customers, keep. The caller defines usage().
bench_args() {
    events=1000000
    customers=20000
    keep=false
    while [[ $# -gt 0 ]]; do
        case $1 in
        -h | --help) usage && exit 0 ;;
        --events) events=$2 && shift ;;
        --customers) customers=$2 && shift ;;
        --keep) keep=true ;;
        *) usage >&2 && exit 2 ;;
        esac
        shift
    done
}

# A fresh broker with the bus topics, data under .platform/bench.
bench_broker() {
    stop_process "$BENCH_HOME" kafka || true
    rm -rf "$BENCH_HOME/kafka"
    kafka_start "$BENCH_HOME" "$BENCH_PORT" "${BENCH_KAFKA_CONTROLLER_PORT:-29093}"
    kafka_topics "$KAFKA_BOOTSTRAP"
}

# A fresh broker holding $events synthetic events of every type.
bench_broker_with_events() {
    bench_broker
    info "publishing $events synthetic events for $customers customers ..."
    bus_cli generate --bootstrap-server "127.0.0.1:$BENCH_PORT" --count "$events" --customers "$customers"
}

# Stops the broker and deletes its data, unless --keep.
bench_broker_stop() {
    if [[ $keep == false ]]; then
        stop_process "$BENCH_HOME" kafka || true
        rm -rf "$BENCH_HOME/kafka"
    fi
}

# Clock ticks PostgreSQL has used so far: its live processes, and the backends that have exited
# since it started (reaped by the postmaster, so in its children's account: fields 16 and 17) —
# a benchmark's connections may close before it reads them.
postgres_ticks() {
    local postmaster
    postmaster=$(pgrep -o -x postgres)
    # shellcheck disable=SC2046 # one pid per word
    printf '%s' $(($(ticks_of $(pgrep -x postgres)) + $(sed -E 's/^.*\) //' "/proc/$postmaster/stat" | awk '{ print $14 + $15 }')))
}

# ticks_of PID...: clock ticks (1/100 s) of CPU the processes have used so far, user + system.
ticks_of() {
    local pid total=0
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        # Fields 14 and 15 (utime, stime) counted after the command name, which may hold spaces.
        total=$((total + $(sed -E 's/^.*\) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    done
    printf '%s' "$total"
}

# jit_ticks PID...: clock ticks the JIT compilers of the given JVMs have used so far (their
# threads "C1 CompilerThread…" and "C2 CompilerThread…", comm cut to 15 characters). Tells
# whether a warm-up has finished compiling: HotSpot keeps compiling for minutes at low rates.
jit_ticks() {
    local pid task total=0
    for pid in "$@"; do
        for task in $(grep -slE '^C[12] CompilerThre' /proc/"$pid"/task/*/comm 2>/dev/null); do
            total=$((total + $(sed -E 's/^.*\) //' "${task%comm}stat" 2>/dev/null | awk '{ print $12 + $13 }')))
        done
    done
    printf '%s' "$total"
}
