#!/usr/bin/env bash
# Benchmark of the event gateway's batch ingest: synthetic events of every type posted in batches
# of structured CloudEvents, next to the physical limit measured in the same run — PostgreSQL
# inserting the same rows (ledger + outbox) in transactions of the same size, at the same
# concurrency.
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/keys.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/gateway-bench.sh [--events 200000] [--warmup 600000] [--warmup-rounds 6]
                                   [--clients 2] [--batch 500] [--keep]

Starts a broker of its own (BENCH_KAFKA_PORT, 29092) and an event gateway (port 8096,
database gateway_bench), then measures:
  1. raw PostgreSQL: pgbench inserting --events ledger rows and outbox rows of the same
     size, --batch per transaction, --clients at once (scratch database; the median of
     three runs, each after a checkpoint, as the gateway's measured phase is);
  2. the gateway: --clients curl processes posting --events synthetic events of every
     type in CloudEvents batches of --batch over HTTP/1.1 keep-alive, after a warm-up of
     --warmup events posted the same way, repeated (the ledger emptied in between, so that
     they are new again) until the gateway's JIT compilers use less than JIT_SETTLED % (5)
     of its CPU in a round, at most --warmup-rounds times: a request carries 500 events,
     so the per-request code (HTTP, JWT, transactions) reaches C2's thresholds late; the
     JIT's share of the measured phase is shown beside the gateway's CPU; the bodies are
     made beforehand by 'bus generate --out', so the clients only send; accepted events/s
     (the ledger's first to last row), the time until all are on the bus, and CPU per
     event of every process: the gateway, PostgreSQL, the broker, and the clients;
  3. the ceiling the platform's part puts on this machine: its cores divided by the CPU per
     event of gateway + PostgreSQL + broker, a rate no amount of waiting less could pass
     even with the clients on another machine.
Target (issue #15): gateway >= 50 % of the raw insert rate. BENCH_GATEWAY_JAVA_OPTS go to
the gateway's JVM (e.g. a JFR recording). Needs the modules built
(./platform up --build or mvn package) and PostgreSQL.
HELP
}

events=200000
warmup=600000
warmup_rounds=6
clients=2
batch=500
keep=false
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --events) events=$2 && shift ;;
    --warmup) warmup=$2 && shift ;;
    --warmup-rounds) warmup_rounds=$2 && shift ;;
    --clients) clients=$2 && shift ;;
    --batch) batch=$2 && shift ;;
    --keep) keep=true ;;
    *) usage >&2 && exit 2 ;;
    esac
    shift
done
((events % (clients * batch) == 0 && warmup % (clients * batch) == 0)) ||
    die "--events and --warmup must be multiples of --clients x --batch"

GATEWAY_PORT=${BENCH_GATEWAY_PORT:-8096}
GATEWAY_JAR=$(service_jar "$ROOT/event-gateway")
[[ -f $GATEWAY_JAR && -f $BUS_CLI_JAR ]] || die "build first: ./platform up --build (or mvn -DskipTests package)"
ensure_postgres
ensure_dev_keys
script=$(mktemp)
work=$(mktemp -d)
cleanup() {
    rm -rf "$script" "$work"
    stop_process "$BENCH_HOME" gateway-bench || true
    bench_broker_stop
}
trap cleanup EXIT
bench_broker

# A synthetic event is ~450 bytes of JSON; the raw rows carry a payload of that size.
info "raw PostgreSQL: $events ledger + outbox rows, $batch per transaction, $clients clients ..."
cat >"$script" <<SQL
BEGIN;
INSERT INTO accepted_event (event_id, publisher, event_type, content_hash)
    SELECT gen_random_uuid(), 'bench', 'purchase', sha256(random()::text::bytea)
    FROM generate_series(1, $batch);
INSERT INTO customer_event_outbox (event_id, event_type, user_id, slot, payload, source, occurred_at)
    SELECT gen_random_uuid(), 'purchase', 'synthetic-' || i, i % 16, repeat('x', 450), 'bench', now()
    FROM generate_series(1, $batch) i;
END;
SQL
# raw_insert: one pgbench run into a new scratch database; prints "rows/s PostgreSQL-µs-per-row".
# Each measured phase starts right after a checkpoint: the pages first written after one are
# logged whole, and the warm-up writes gigabytes of WAL, so where a phase fell between two
# checkpoints would otherwise decide much of PostgreSQL's CPU per event.
raw_insert() {
    local ticks tps
    psql -q -d postgres -c "DROP DATABASE IF EXISTS gateway_raw_bench" -c "CREATE DATABASE gateway_raw_bench"
    psql -q -d gateway_raw_bench -f "$ROOT/event-gateway/src/main/resources/db/migration/V1__accepted_events.sql"
    psql -q -d gateway_raw_bench -f "$ROOT/bus-runtime/src/main/resources/db/outbox/R__customer_event_outbox.sql"
    psql -q -d postgres -c CHECKPOINT
    ticks=$(postgres_ticks)
    tps=$(pgbench -n -c "$clients" -j "$clients" -t $((events / batch / clients)) -f "$script" \
        -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" gateway_raw_bench 2>/dev/null |
        awk '/^tps/ {printf "%d", $3}')
    echo "$((tps * batch)) $(((($(postgres_ticks) - ticks) * 10000) / events))"
    psql -q -d postgres -c "DROP DATABASE gateway_raw_bench"
}
# A run lasts a few seconds and swings by a third from one to the next: the median of three.
raw_runs=$(for run in 1 2 3; do raw_insert; done | sort -n)
read -r raw_rate raw_pg_cpu_us <<<"$(sed -n 2p <<<"$raw_runs")"
info "raw insert, rows/s and PostgreSQL µs per row, three runs: $(tr '\n' ';' <<<"$raw_runs")"

info "event gateway on :$GATEWAY_PORT ..."
psql -q -d postgres -c "DROP DATABASE IF EXISTS gateway_bench" -c "CREATE DATABASE gateway_bench"
start_process "$BENCH_HOME" gateway-bench env QUARKUS_HTTP_PORT="$GATEWAY_PORT" \
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$BENCH_PORT" PGHOST="$PGHOST" PGPORT="$PGPORT" \
    GATEWAY_DB=gateway_bench MP_JWT_VERIFY_PUBLICKEY_LOCATION="$DEV_KEYS/dev-public.pem" \
    BUS_GATEWAY_RATE_LIMIT_PER_SECOND=100000000 \
    java -Xmx${SERVICE_HEAP:-192m} ${BENCH_GATEWAY_JAVA_OPTS:-} -jar "$GATEWAY_JAR"
wait_until 90 gateway-bench service_ready "$GATEWAY_PORT" || die "the gateway did not start (log $BENCH_HOME/logs/gateway-bench.log)"
gateway_pid=$(cat "$(pid_file "$BENCH_HOME" gateway-bench)")
token=$(EXTRA_CLAIMS='"event_types":["account-created","purchase","refund","product-transfer","product-use","support-call"]' \
    mint_token bench-generator bench@example.com 3600 event-publisher)
# The request bodies are made before the clock starts ('bus generate --out', C1 only: C2 compiling
# a short-lived JVM took 42 % of its CPU); a client then only sends them — one curl posting its
# files in order over one keep-alive HTTP/1.1 connection —, as pgbench only sends its statements.
# prepare COUNT SEED: COUNT events split among the clients, client c's into $work/SEED-c.
prepare() {
    local c
    for ((c = 0; c < clients; c++)); do
        BUS_CLI_JAVA_OPTS=-XX:TieredStopAtLevel=1 bus_cli generate --count $(($1 / clients)) \
            --seed $(($2 + c)) --user-prefix "bench-$(($2 + c))-" --batch "$batch" \
            --out "$work/$2-$c" >/dev/null
    done
}
# post DIR: every file of DIR, each answer's status into DIR.codes; the client's CPU (user and
# system, in the second line of 'times': this shell's children) into DIR.times.
post() {
    local file args=()
    for file in "$1"/batch-*.json; do
        # No 'Expect: 100-continue': curl would wait a second for an interim answer first.
        args+=(--next -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token"
            -H 'Content-Type: application/cloudevents-batch+json' -H 'Expect:'
            --data-binary "@$file" "http://127.0.0.1:$GATEWAY_PORT/api/events/v1/events")
    done
    curl -sS "${args[@]:1}" >"$1.codes"
    times >"$1.times"
}
# post_all SEED: the clients post what prepare made for SEED, at once; every answer must be 202.
post_all() {
    local c pids=()
    for ((c = 0; c < clients; c++)); do
        post "$work/$1-$c" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || die "a client failed"; done
    ! grep -qvx 202 "$work/$1"-*.codes || die "the gateway refused a batch: $(sort "$work/$1"-*.codes | uniq -c)"
}
# The clients' CPU in ticks (1/100 s), all together, for SEED's posts.
clients_ticks() {
    tail -q -n 1 "$work/$1"-*.times | tr 'ms' '  ' |
        awk '{ sum += $1 * 60 + $2 + $3 * 60 + $4 } END { printf "%d", sum * 100 }'
}
backlog() { psql -d gateway_bench -tA -c "SELECT count(*) FROM customer_event_outbox"; }

info "making the request bodies: $warmup + $events events ..."
prepare "$events" 0
((warmup == 0)) || prepare "$warmup" 1000
for ((round = 1; warmup > 0 && round <= warmup_rounds; round++)); do
    jit_before=$(jit_ticks "$gateway_pid") cpu_before=$(ticks_of "$gateway_pid")
    post_all 1000
    while (($(backlog) > 0)); do sleep 0.2; done
    psql -q -d gateway_bench -c "TRUNCATE accepted_event"
    jit_share=$((100 * ($(jit_ticks "$gateway_pid") - jit_before) / ($(ticks_of "$gateway_pid") - cpu_before)))
    info "warm-up round $round: $warmup events, as measured below; JIT $jit_share % of the gateway's CPU"
    ((jit_share >= ${JIT_SETTLED:-5})) || break
    ((round < warmup_rounds)) || warn "the JIT has not settled after $round rounds: the figures below include it"
done

info "$events events from $clients clients ..."
broker_pid=$(cat "$(pid_file "$BENCH_HOME" kafka)")
psql -q -d postgres -c CHECKPOINT
gateway_ticks=$(ticks_of "$gateway_pid") gateway_jit=$(jit_ticks "$gateway_pid") pg_ticks=$(postgres_ticks) broker_ticks=$(ticks_of "$broker_pid")
started=$(date +%s.%N)
post_all 0
accepted_seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
while (($(backlog) > 0)); do sleep 0.1; done
on_bus_seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
gateway_cpu_us=$(((($(ticks_of "$gateway_pid") - gateway_ticks) * 10000) / events))
gateway_jit_us=$(((($(jit_ticks "$gateway_pid") - gateway_jit) * 10000) / events))
pg_cpu_us=$(((($(postgres_ticks) - pg_ticks) * 10000) / events))
broker_cpu_us=$(((($(ticks_of "$broker_pid") - broker_ticks) * 10000) / events))
clients_cpu_us=$((($(clients_ticks 0) * 10000) / events))
path_cpu_us=$((gateway_cpu_us + pg_cpu_us + broker_cpu_us))
ceiling=$(($(nproc) * 1000000 / path_cpu_us))
stored=$(psql -d gateway_bench -tA -c "SELECT count(*) FROM accepted_event")
[[ $stored == "$events" ]] || die "the gateway accepted $stored events, expected $events"
db_rate=$(psql -d gateway_bench -tA -c "SELECT round(count(*) / extract(epoch FROM max(accepted_at) - min(accepted_at))) FROM accepted_event")
client_rate=$(echo "$events / $accepted_seconds" | bc)
bus_rate=$(echo "$events / $on_bus_seconds" | bc)

printf '\n%-50s %12s\n' "measured on $(nproc) cores, $events events, $clients clients, batches of $batch" "events/s"
printf '%-50s %12s\n' "raw PostgreSQL insert of ledger + outbox rows" "$raw_rate"
printf '%-50s %12s\n' "gateway, accepted (first -> last ledger row)" "$db_rate"
printf '%-50s %12s\n' "gateway, accepted (clients' start -> end)" "$client_rate"
printf '%-50s %12s\n' "gateway, on the bus (clients' start -> outbox empty)" "$bus_rate"
printf '%-50s %11s%%\n' "gateway accepted / raw insert (target >= 50 %)" "$((100 * db_rate / raw_rate))"
printf '%-50s %12s\n' "CPU per event, gateway" "$gateway_cpu_us µs"
printf '%-50s %12s\n' "  of it the gateway's JIT compilers" "$gateway_jit_us µs"
printf '%-50s %12s\n' "CPU per event, PostgreSQL" "$pg_cpu_us µs"
printf '%-50s %12s\n' "CPU per event, broker" "$broker_cpu_us µs"
printf '%-50s %12s\n' "CPU per event, clients (curl)" "$clients_cpu_us µs"
printf '%-50s %12s\n' "CPU per event, gateway + PostgreSQL + broker" "$path_cpu_us µs"
printf '%-50s %12s\n' "ceiling: $(nproc) cores / that CPU per event" "$ceiling"
printf '%-50s %11s%%\n' "gateway accepted / ceiling" "$((100 * db_rate / ceiling))"
printf '%-50s %12s\n' "CPU per event, PostgreSQL, raw insert" "$raw_pg_cpu_us µs"
