#!/usr/bin/env bash
# Benchmark of email-subscriber: emails/s accepted by a real SMTP server (Postfix's smtp-sink) and
# the CPU per email of the subscriber, Redis and the sink, next to the raw limit of the same sink
# measured in the same run (Postfix's smtp-source: as many connections, messages of the same size).
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/kafka.sh"
source "$ROOT/local/lib/keys.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/email-bench.sh [--events 200000] [--customers 20000] [--keep]

Starts a broker of its own (BENCH_KAFKA_PORT, 29092; data under .platform/bench) and an
smtp-sink (BENCH_SMTP_PORT, 3027), then:
  1. email-subscriber (a group of its own) sends the emails of --events synthetic events of
     every type (bus generate: purchases and sign-ups carry an address, ~40 %) twice: a
     warm-up round, then the measured round with new events, timed from its first email
     accepted by the sink to its last,
  2. raw SMTP: smtp-source sends as many messages as that round had emails over as many
     kept-alive connections as the subscriber keeps (email.concurrent-sends, 8), each the size
     of an order confirmation,
and prints emails/s next to the raw rate, and CPU ms per email of the subscriber (and of it
its JIT), Redis and smtp-sink. The emails' "sent" marks in Redis expire after an hour
(EMAIL_IDEMPOTENCY_KEEP). Installs Debian's postfix for smtp-sink and smtp-source when missing;
needs the modules built (./platform up --build or mvn package) and Redis.
HELP
}

bench_args --events 200000 "$@"

EMAIL_DIR=$ROOT/email-subscriber
EMAIL_PORT=${BENCH_EMAIL_PORT:-8095}
SINK_PORT=${BENCH_SMTP_PORT:-3027}
# An order confirmation as the subscriber writes it (headers, a text and an HTML part), bytes.
MESSAGE_BYTES=${BENCH_MESSAGE_BYTES:-1900}
[[ -f $(service_jar "$EMAIL_DIR") && -f $BUS_CLI_JAR ]] || die "build first: ./platform up --build (or mvn -DskipTests package)"
command -v smtp-sink >/dev/null && command -v smtp-source >/dev/null || apt_install "the benchmark" postfix
ensure_redis
ensure_dev_keys

mix=$(mktemp)
generator=
cleanup() {
    [[ -z $generator ]] || kill "$generator" 2>/dev/null || true
    rm -f "$mix"
    stop_process "$BENCH_HOME" email-bench >/dev/null || true
    stop_process "$BENCH_HOME" email-bench-sink >/dev/null || true
    bench_broker_stop
}
trap cleanup EXIT
bench_broker
start_process "$BENCH_HOME" email-bench-sink smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 256
wait_until 10 smtp-sink port_open 127.0.0.1 "$SINK_PORT" || die "smtp-sink did not start"
KAFKA_BOOTSTRAP=127.0.0.1:$BENCH_PORT start_service "$BENCH_HOME" "$EMAIL_DIR" email-bench "$EMAIL_PORT" \
    SMTP_PORT="$SINK_PORT" EMAIL_GROUP="email-bench-$$" EMAIL_AUTO_OFFSET_RESET=earliest \
    EMAIL_IDEMPOTENCY_KEEP=PT1H EMAIL_MAX_AGE=PT30M >/dev/null

metrics() { curl -fsS "http://127.0.0.1:$EMAIL_PORT/q/metrics"; }
sent() { metrics | awk '/^email_sent_total/ { n += $2 } END { printf "%d", n }'; }
# Emails sent, skipped (already sent, too old, ...) or dead-lettered: each email called for, once.
dealt_with() {
    metrics | awk '/^email_(sent|skipped|dead_lettered)_total/ { n += $2 } END { printf "%d", n }'
}
subscriber_alive() {
    running "$BENCH_HOME" email-bench || die "email-subscriber stopped (log $BENCH_HOME/logs/email-bench.log)"
}
# Once the background bus generate has ended: its failure stops the benchmark.
generator_done() {
    if [[ -n $generator ]] && ! kill -0 "$generator" 2>/dev/null; then
        wait "$generator" || die "bus generate failed: $(cat "$mix")"
        generator=
    fi
}
sink_pid() { cat "$(pid_file "$BENCH_HOME" email-bench-sink)"; }
email_pid() { cat "$(pid_file "$BENCH_HOME" email-bench)"; }

# round SEED: publishes --events events and waits until the subscriber has dealt with every email
# they call for (bus generate prints its mix: a purchase and a sign-up each carry an address):
# sent, skipped or dead-lettered. Sets emails (sent, from the round's first to its last),
# seconds, emails_in_round, lost (not sent), and the CPU ticks of the subscriber, its JIT, Redis
# and the sink meanwhile. The metrics are read every 0.5 s once sending has begun: their
# rendering is the subscriber's CPU too.
round() {
    local before expected first_sent started cpu jit redis sink
    before=$(dealt_with)
    cpu=$(ticks_of "$(email_pid)") jit=$(jit_ticks "$(email_pid)")
    redis=$(ticks_of $(pgrep -x redis-server)) sink=$(ticks_of "$(sink_pid)")
    bus_cli generate --bootstrap-server "$KAFKA_BOOTSTRAP" --count "$events" \
        --customers "$customers" --seed "$1" >"$mix" 2>&1 &
    generator=$!
    until (($(dealt_with) > before)); do
        subscriber_alive
        generator_done
        sleep 0.1
    done
    started=$(date +%s.%N) first_sent=$(sent)
    [[ -z $generator ]] || { wait "$generator" || die "bus generate failed: $(cat "$mix")"; }
    generator=
    expected=$(awk '$1 == "purchase" || $1 == "account-created" { n += $2 } END { printf "%d", n }' "$mix")
    while (($(dealt_with) - before < expected)); do
        subscriber_alive
        sleep 0.5
    done
    seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
    emails=$(($(sent) - first_sent)) emails_in_round=$expected
    lost=$((expected - ($(sent) - before)))
    email_cpu=$(($(ticks_of "$(email_pid)") - cpu)) email_jit=$(($(jit_ticks "$(email_pid)") - jit))
    redis_cpu=$(($(ticks_of $(pgrep -x redis-server)) - redis)) sink_cpu=$(($(ticks_of "$(sink_pid)") - sink))
}
per_email() { echo "scale=3; $1 * 10 / $emails_in_round" | bc; }

info "warm-up: the emails of $events events ..."
round 11
info "measured: the emails of $events new events ..."
round 12

info "raw SMTP: smtp-source, $emails_in_round messages of $MESSAGE_BYTES bytes over 8 kept-alive connections ..."
sink_before=$(ticks_of "$(sink_pid)")
raw_started=$(date +%s.%N)
smtp-source -d -s 8 -m "$emails_in_round" -l "$MESSAGE_BYTES" -f bench@example.com -t customer@example.com \
    "127.0.0.1:$SINK_PORT" >/dev/null
raw_seconds=$(echo "$(date +%s.%N) - $raw_started" | bc -l)
raw_sink_cpu=$(($(ticks_of "$(sink_pid)") - sink_before))

printf '\n%-62s %12s\n' "measured $(date -u +%F) on $(nproc) cores, $events events" ""
printf '%-62s %12s\n' "raw: smtp-source -> smtp-sink, messages/s (8 kept-alive)" "$(echo "$emails_in_round / $raw_seconds" | bc)"
printf '%-62s %12s\n' "email-subscriber -> smtp-sink, emails/s (first sent -> last)" "$(echo "$emails / $seconds" | bc)"
printf '%-62s %12s\n' "emails called for in the measured round" "$emails_in_round"
printf '%-62s %12s\n' "  of them not sent (skipped or dead-lettered)" "$lost"
printf '%-62s %12s\n' "CPU ms per email: email-subscriber" "$(per_email "$email_cpu")"
printf '%-62s %12s\n' "                  of it its JIT compilers" "$(per_email "$email_jit")"
printf '%-62s %12s\n' "                  Redis" "$(per_email "$redis_cpu")"
printf '%-62s %12s\n' "                  smtp-sink" "$(per_email "$sink_cpu")"
printf '%-62s %12s\n' "                  smtp-sink, taking smtp-source's messages" "$(per_email "$raw_sink_cpu")"
