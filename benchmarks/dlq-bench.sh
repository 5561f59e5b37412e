#!/usr/bin/env bash
# Benchmark of an operator's re-drive: how long `bus dlq redrive` takes for a DLQ of many letters,
# and how much memory it needs, next to what the broker itself reads and writes in the same run.
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/dlq-bench.sh [--letters 200000] [--size 1024] [--heap 64m] [--keep]

Starts a broker of its own (BENCH_KAFKA_PORT, 29092; data under .platform/bench), writes a
dead letter of a --size byte body for each of --letters events (with the headers a
subscriber's DLQ carries: event id, type, reason, time), and a second, newer copy for one event
in a hundred, to the DLQ of a subscriber "bench", then measures, each as wall time and CPU of
the CLI's process:
  1. the CLI's start alone (bus --version), part of every figure below;
  2. bus dlq list (counts, then a line per letter: two reads);
  3. bus dlq redrive --dry-run (the plan: one read);
  4. bus dlq redrive (a read, a second read sending the chosen letters to the retry topic);
with the CLI's heap capped at --heap, smaller than the DLQ; and the raw limits in the same run:
Kafka's ProducerPerformance writing as many records of that size (acks=all) and its
ConsumerPerformance reading the DLQ. Checks that the retry topic holds one record per event.
HELP
}

letters=200000
size=1024
heap=64m
keep=false
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --letters) letters=$2 && shift ;;
    --size) size=$2 && shift ;;
    --heap) heap=$2 && shift ;;
    --keep) keep=true ;;
    *) usage >&2 && exit 2 ;;
    esac
    shift
done
((letters >= 100)) || die "--letters must be at least 100"

[[ -f $BUS_CLI_JAR ]] || die "build first: ./platform up --build (or mvn -DskipTests package)"
[[ -x /usr/bin/time ]] || apt_install "the benchmark" time
work=$(mktemp -d)
cleanup() {
    rm -rf "$work"
    bench_broker_stop
}
trap cleanup EXIT
bench_broker
bootstrap=127.0.0.1:$BENCH_PORT
dlq=customer-events.bench.dlq
retry=customer-events.bench.retry
bus_cli topics ensure --bootstrap-server "$bootstrap" --partitions 6 "$dlq" "$retry" bench-raw >/dev/null
# kafka_tool CLASS ARGS...: one of Kafka's tools; its errors kept, and shown if it fails.
kafka_tool() {
    java -Xmx512m -cp "$KAFKA_LIB/*" "$@" 2>"$work/kafka-tool.err" ||
        die "${1##*.} failed: $(tail -n 5 "$work/kafka-tool.err")"
}

info "writing $letters dead letters of $size bytes ..."
# Headers, then key, then body, tab-separated; a header's name and value split at '='. The ids are
# random version-4 UUIDs (a copy repeats its event's): ids built of a counter share their hash
# codes, and the choice's map would measure its collisions.
failed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
awk -v n="$letters" -v size="$size" -v at="$failed_at" 'BEGIN {
        srand(1)
        body = sprintf("%" size "s", ""); gsub(/ /, "x", body)
        for (i = 0; i < n; i++) {
            id = sprintf("%04x%04x-%04x-4%03x-8%03x-%04x%04x%04x", r(65536), r(65536), r(65536),
                r(4096), r(4096), r(65536), r(65536), r(65536))
            line(i, id, 0)
            if (i % 100 == 0) line(i, id, 1)
        }
    }
    function r(limit) { return int(rand() * limit) }
    function line(i, id, redrives) {
        printf "ce_id=%s,ce_type=purchase,dlq-reason=SMTP 451 try later,dlq-failed-at=%s," \
            "dlq-redrives=%d\tcustomer-%d\t%s\n", id, at, redrives, i % 5000, body
    }' >"$work/letters"
kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$bootstrap" --topic "$dlq" \
    --property parse.headers=true --property headers.key.separator== --property parse.key=true \
    --producer-property acks=all --producer-property linger.ms=5 <"$work/letters"
copies=$((letters + (letters + 99) / 100))

# timed NAME ARGS...: runs the CLI with ARGS and its heap capped, keeps its output, and records
# its wall and CPU seconds under NAME.
# shellcheck disable=SC2086 # BUS_CLI_JAVA_OPTS is a list of options
timed() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$work/$name.time" env "${BUS_CLI_ENV[@]}" \
        java "-Xmx$heap" ${BUS_CLI_JAVA_OPTS:-} -jar "$BUS_CLI_JAR" "$@" >"$work/$name.out" 2>&1 ||
        die "$name failed: $(tail -n 5 "$work/$name.out")"
}

info "raw limits: ProducerPerformance, ConsumerPerformance ..."
kafka_tool org.apache.kafka.tools.ProducerPerformance --topic bench-raw --num-records "$copies" \
    --record-size "$size" --throughput -1 --producer-props bootstrap.servers="$bootstrap" acks=all \
    >"$work/producer-perf"
produced=$(tail -n 1 "$work/producer-perf" | awk '{print $4}')
kafka_tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$dlq" \
    --messages "$copies" --timeout 60000 --hide-header >"$work/consumer-perf"
# Its fields: start, end, MB, MB/s, records, records/s (the group's join included), rebalance ms,
# fetch ms, fetch MB/s, fetch records/s (reading only: the one shown).
read -r consumed_count consumed < <(tail -n 1 "$work/consumer-perf" | awk -F', *' '{printf "%d %d\n", $5, $10}')
((consumed_count == copies)) || die "ConsumerPerformance read $consumed_count of $copies letters"

info "the CLI: start, list, plan, re-drive (heap $heap) ..."
timed start --version
timed list dlq list --bootstrap-server "$bootstrap" --subscriber bench
timed plan dlq redrive --bootstrap-server "$bootstrap" --subscriber bench --dry-run
timed redrive dlq redrive --bootstrap-server "$bootstrap" --subscriber bench
grep -q "re-drove $letters record(s)" "$work/redrive.out" ||
    die "the re-drive sent another count: $(cat "$work/redrive.out")"
in_retry=$(kafka_tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$bootstrap" --topic "$retry" |
    awk -F: '{s += $3} END {printf "%d", s}')
((in_retry == letters)) || die "the retry topic holds $in_retry records, not $letters"

mb=$(echo "scale=1; $copies * $size / 1048576" | bc)
printf '\n%s dead letters (%s events, one in a hundred twice) of %s bytes: %s MB of bodies; %d cores\n' \
    "$copies" "$letters" "$size" "$mb" "$(nproc)"
printf '%-44s %10s %12s %14s\n' "" "wall s" "CPU s" "letters/s"
for step in start list plan redrive; do
    read -r wall user sys <"$work/$step.time"
    rate=-
    [[ $step != start ]] && rate=$(echo "$copies / $wall" | bc)
    printf '%-44s %10s %12s %14s\n' "bus $(sed -n 1p <<<"$step" | sed 's/redrive/dlq redrive/; s/plan/dlq redrive --dry-run/; s/list/dlq list/; s/start/--version (the JVM start)/'), -Xmx$heap" \
        "$wall" "$(echo "$user + $sys" | bc)" "$rate"
done
printf '%-44s %10s %12s %14s\n' "raw: ProducerPerformance, acks=all" "" "" "${produced%.*}"
printf '%-44s %10s %12s %14s\n' "raw: ConsumerPerformance, the DLQ" "" "" "$consumed"
