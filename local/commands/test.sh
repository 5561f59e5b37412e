#!/usr/bin/env bash
# ./platform test: every test of the project against real servers, started and stopped here.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/smtp.sh"
source "$ROOT/local/lib/browser.sh"
source "$ROOT/local/lib/zipkin.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    cat <<'HELP'
Usage: ./platform test [MAVEN_ARGS...]

Builds everything and runs all tests (mvn verify: unit tests, integration tests,
formatting check) against real servers: a fresh Kafka broker of its own (port
TEST_KAFKA_PORT, 19092), an SMTP server of its own (TEST_SMTP_PORT 13025, API
TEST_SMTP_API_PORT 18025), a trace viewer of its own (Zipkin, TEST_ZIPKIN_PORT 19411),
PostgreSQL and Redis (the machine's, with test databases),
and Debian's Chromium for the dashboard's browser test (installed with apt-get if missing).
Stops what it started and exits non-zero on any failure. Extra arguments go to
Maven, e.g. './platform test -pl shared-events'. Runs beside './platform up'.
HELP
    exit 0
fi

TEST_HOME=$PLATFORM_HOME/test
TEST_KAFKA_PORT=${TEST_KAFKA_PORT:-19092}

build_modules true local/kafka local/smtp local/zipkin bus-cli
ensure_postgres
ensure_redis
ensure_chromium
for db in $(declared SERVICE_TEST_DATABASE); do
    create_database "$db"
done

# A fresh broker each run, so no test depends on what an earlier run left on the bus.
trap 'stop_process "$TEST_HOME" kafka; stop_process "$TEST_HOME" smtp; stop_process "$TEST_HOME" zipkin' EXIT
stop_process "$TEST_HOME" kafka
stop_process "$TEST_HOME" smtp
stop_process "$TEST_HOME" zipkin
# The trace viewer starts first: it is the slowest, and the build gives it time.
export ZIPKIN_PORT=${TEST_ZIPKIN_PORT:-19411}
zipkin_start "$TEST_HOME" "$ZIPKIN_PORT"
rm -rf "$TEST_HOME/kafka"
kafka_start "$TEST_HOME" "$TEST_KAFKA_PORT" "${TEST_KAFKA_CONTROLLER_PORT:-19093}"
kafka_topics "$KAFKA_BOOTSTRAP"
# A real SMTP server of its own for the email tests, which read back what it received.
export SMTP_PORT=${TEST_SMTP_PORT:-13025} SMTP_API_PORT=${TEST_SMTP_API_PORT:-18025}
smtp_start "$TEST_HOME" "$SMTP_PORT" "$SMTP_API_PORT"
zipkin_await "$TEST_HOME" "$ZIPKIN_PORT"

cd "$ROOT"
# The services under test and the tests' own clients find the broker where a deployment does; the
# Quarkus tests run in the "local" profile (these servers), never with Dev Services, Docker or not.
export KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP
mvn -B verify -P '!dev-services' "$@"
