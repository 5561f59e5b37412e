#!/usr/bin/env bash
# Benchmark of analytics-subscriber: events/s aggregated into Redis (one EVALSHA per event,
# pipelined in batches), next to Redis' own pipelined rate (redis-benchmark) measured in the
# same run on the same server, with the Redis commands per event stated.
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/keys.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/analytics-bench.sh [--events 1000000] [--customers 20000] [--keep]

Starts a broker of its own (BENCH_KAFKA_PORT, 29092; data under .platform/bench), publishes
--events synthetic events of every type (bus generate), then measures:
  1. raw Redis: redis-benchmark, 32-deep pipelines, for the command kinds the script runs
     (SET, INCR, HSET, ZADD; PFADD is not among redis-benchmark's tests),
  2. analytics-subscriber aggregating all of them (group and key prefix of its own), from
     readiness until its applied counter reaches --events,
and prints events/s, the Redis commands per event (from the service's per-type counts) and
the command rate that implies, next to the raw rate. Its keys are wiped at the end. Needs
the modules built (./platform up --build or mvn package) and Redis.
HELP
}

bench_args "$@"

ANALYTICS_PORT=${BENCH_ANALYTICS_PORT:-8094}
ANALYTICS_JAR=$(service_jar "$ROOT/analytics-subscriber")
[[ -f $ANALYTICS_JAR && -f $BUS_CLI_JAR ]] || die "build first: ./platform up --build (or mvn -DskipTests package)"
command -v redis-benchmark >/dev/null || die "redis-benchmark is needed (Debian package redis-tools)"
ensure_redis
ensure_dev_keys
prefix="analytics-bench-$$:"

cleanup() {
    stop_process "$BENCH_HOME" analytics-bench || true
    bus_cli keys wipe --prefix "$prefix" >/dev/null || true
    bench_broker_stop
}
trap cleanup EXIT
bench_broker_with_events

info "raw Redis, pipelined (redis-benchmark -P 32) ..."
# In a database of its own (15), emptied afterwards: the services' keys live in database 0.
raw=$(redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" --dbnum 15 -q -P 32 -n 1000000 -r 100000 -t set,incr,hset,zadd 2>/dev/null |
    tr '\r' '\n' | awk '/requests per second/ {gsub(":", "", $1); printf "%s %d\n", $1, $2}')
raw_avg=$(awk '{s += $2; n++} END {printf "%d", s / n}' <<<"$raw")
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n 15 flushdb >/dev/null

info "analytics-subscriber aggregating $events events ..."
start_process "$BENCH_HOME" analytics-bench env QUARKUS_HTTP_PORT="$ANALYTICS_PORT" \
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$BENCH_PORT" REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" \
    ANALYTICS_GROUP="analytics-bench-$$" ANALYTICS_KEY_PREFIX="$prefix" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$DEV_KEYS/dev-public.pem" \
    java -Xmx${SERVICE_HEAP:-384m} -jar "$ANALYTICS_JAR"
metrics() { curl -fsS "http://127.0.0.1:$ANALYTICS_PORT/q/metrics" 2>/dev/null; }
applied() { metrics | awk '/^bus_events_applied_total/ {printf "%d", $2}'; }
wait_until 90 analytics-bench service_ready "$ANALYTICS_PORT" ||
    die "analytics did not start (log $BENCH_HOME/logs/analytics-bench.log)"
started=$(date +%s.%N)
while (($(applied || echo 0) < events)); do
    running "$BENCH_HOME" analytics-bench || die "analytics stopped (log $BENCH_HOME/logs/analytics-bench.log)"
    sleep 0.5
done
seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
rate=$(echo "$events / $seconds" | bc)
# Commands per event inside the script: HGET + HSET (position), SET (mark), and per bucket (hour,
# day) HINCRBY, PFADD and their EXPIREATs = 11; a purchase or refund adds 10 per bucket, and the
# HGETs of the 4 totals it would add to per bucket (the overflow check) = 39.
ops_per_event=$(metrics | awk -F'[{}]' '/^bus_events_by_type_total/ && /outcome="applied"/ {
        split($3, v, " "); n = v[1]; total += n
        if ($2 ~ /type="(purchase|refund)"/) ops += 39 * n; else ops += 11 * n
    } END { printf "%.1f", ops / total }')
implied=$(echo "$rate * $ops_per_event" | bc | cut -d. -f1)

printf '\n%-52s %14s\n' "measured on $(nproc) cores, $events events" "per second"
while read -r test ops; do
    printf '%-52s %14s\n' "raw Redis $test, 32-deep pipeline (redis-benchmark)" "$ops"
done <<<"$raw"
printf '%-52s %14s\n' "raw Redis, average of those" "$raw_avg"
printf '%-52s %14s\n' "analytics: events aggregated (ready -> all applied)" "$rate"
printf '%-52s %14s\n' "Redis commands per event (script, this event mix)" "$ops_per_event"
printf '%-52s %14s\n' "analytics: Redis commands implied" "$implied"
printf '%-52s %13s%%\n' "implied commands / raw pipelined rate" "$((100 * implied / raw_avg))"
