# Shared helpers for ./platform commands: paths, messages, processes tracked by pid, polling.
# Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PLATFORM_HOME=${PLATFORM_HOME:-$ROOT/.platform}
KAFKA_LIB=$ROOT/local/kafka/target/lib
BUS_CLI_JAR=$ROOT/bus-cli/target/quarkus-app/quarkus-run.jar

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
export PGHOST PGPORT PGUSER

info() { printf '%s\n' "$*"; }
warn() { printf 'platform: %s\n' "$*" >&2; }
die() {
    printf 'platform: %s\n' "$*" >&2
    exit 1
}

# True when something accepts TCP connections on host:port.
port_open() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_until() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            warn "$what did not become ready within ${seconds}s"
            return 1
        fi
        sleep 0.2
    done
}

pid_file() { printf '%s/run/%s.pid' "$1" "$2"; }

# When a process started (clock ticks since boot: /proc/PID/stat's 22nd field, counted after the
# command name, which may hold spaces). With the pid it names one process: after a reboot, a pid
# file left behind may name another process that got the same pid.
process_start_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    awk '{ print $20 }' <<<"${stat##*) }"
}

# True when the process recorded for a component is alive — that process, not one that reuses its
# pid (a component recorded before its start time was, is taken by its pid alone).
running() {
    local file pid recorded
    file=$(pid_file "$1" "$2")
    [[ -f $file ]] || return 1
    pid=$(cat "$file")
    kill -0 "$pid" 2>/dev/null || return 1
    recorded=$(cat "$file.started" 2>/dev/null) || return 0
    [[ $recorded == "$(process_start_ticks "$pid")" ]]
}

# Starts a command in the background, detached, logging to <home>/logs/<name>.log.
start_process() {
    local home=$1 name=$2 file
    shift 2
    mkdir -p "$home/run" "$home/logs"
    setsid nohup "$@" >"$home/logs/$name.log" 2>&1 </dev/null &
    file=$(pid_file "$home" "$name")
    echo $! >"$file"
    process_start_ticks $! >"$file.started" || rm -f "$file.started"
}

# Stops a tracked process: TERM, then KILL if it has not gone after 20 s. A pid file whose process
# is gone (or whose pid another process has now) is only removed.
stop_process() {
    local home=$1 name=$2 file pid
    file=$(pid_file "$home" "$name")
    [[ -f $file ]] || return 0
    pid=$(cat "$file")
    if running "$home" "$name"; then
        kill "$pid" 2>/dev/null || true
        if ! wait_until 20 "$name to stop" bash -c "! kill -0 $pid"; then
            kill -9 "$pid" 2>/dev/null || true
        fi
        info "stopped $name (pid $pid)"
    fi
    rm -f "$file" "$file.started"
}

# Builds the given modules (and what they need) unless their artefacts exist; --build forces it.
build_modules() {
    local force=$1
    shift
    local artefact missing=false
    for artefact in "$KAFKA_LIB" "$BUS_CLI_JAR" "$ROOT/local/smtp/target/lib" "$ROOT/local/zipkin/target/lib"; do
        [[ -e $artefact ]] || missing=true
    done
    if [[ $force == true || $missing == true ]]; then
        info "building $* ..."
        (cd "$ROOT" && mvn -B -q -DskipTests -pl "$(
            IFS=,
            echo "$*"
        )" -am package) || die "build failed"
    fi
}

# apt_install WHAT-FOR PACKAGE...: installs Debian packages a command needs (as root, or with
# sudo -n), refreshing the package lists once if the first try fails. Never prompts.
apt_install() {
    local why=$1
    shift
    info "installing $* from Debian ($why)"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
    local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@")
    "${install[@]}" >/dev/null ||
        { "${sudo[@]}" apt-get update -q >/dev/null && "${install[@]}" >/dev/null; } ||
        die "could not install $* with apt-get; $why needs them"
}

# On a secured broker, BUS_CLI_ENV holds the credentials bus_cli connects with (kafka_start sets
# the broker's own user for set-up; './platform bus' uses bus-cli's). BUS_CLI_JAVA_OPTS go to its
# JVM.
BUS_CLI_ENV=()
# shellcheck disable=SC2086 # BUS_CLI_JAVA_OPTS is a list of options, like SERVICE_JAVA_OPTS
bus_cli() {
    env "${BUS_CLI_ENV[@]}" java ${BUS_CLI_JAVA_OPTS:-} -jar "$BUS_CLI_JAR" "$@"
}
