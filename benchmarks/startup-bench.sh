#!/usr/bin/env bash
# How fast each service of './platform up' becomes ready, what it costs to get there, and where
# that time goes (the JVM's own counters for class loading and JIT compilation).
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/startup-bench.sh [--runs 3] [--services "purchase-service crm-subscriber ..."]

Needs './platform up' running. Restarts each service --runs times, one at a time while the rest
of the platform idles, exactly as 'up' starts it (start_service: same env, SERVICE_HEAP and
SERVICE_JAVA_OPTS, its class archive unless SERVICE_CDS=off; the first stop of a service that
has no current archive writes it, so every measured start maps it), and measures, from the
JVM's process start to its first 200 on /q/health/ready (polled every 20 ms):

  ready ms     wall time, median and range over the runs
  CPU s        user + system CPU the JVM used until ready (both cores: the JIT compiles alongside)
  RSS MB       resident set at ready (platform-bench.sh gives the peak under load)
  classes      classes loaded at ready, of them mapped from class data sharing archives (the
               JDK's and the service's own: local/lib/services.sh), and the time the JVM spent
               loading them (find, parse, verify, link, run static initialisers: the
               sun.cls.time counter, summed over threads, waits included)
  JIT s        time the compiler threads spent compiling (sun.ci.standardTime + osrTime)

Next to them, the floor of this machine in the same run: 'java -version' (a JVM starting and
stopping, nothing loaded). The services are left running as the last run started them.
HELP
}

runs=3
services=""
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --runs) runs=$2 && shift ;;
    --services) services=$2 && shift ;;
    *) usage >&2 && exit 2 ;;
    esac
    shift
done

# Seconds since boot when the process started (common.sh reads it in clock ticks).
started_at() {
    awk -v ticks="$(process_start_ticks "$1")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", ticks / hz }'
}

uptime_now() { awk '{ print $1 }' /proc/uptime; }

# counter NAME COUNTERS: one value of the JVM's performance counters (jcmd PerfCounter.print).
counter() {
    awk -F= -v name="$1" '$1 == name { print $2 }' <<<"$2"
}

# One restart of the service of DIR: prints "ready_ms cpu_s rss_mb classes mapped class_s jit_s".
measure() {
    local dir=$1 name port pid ready counters
    name=$(service_field "$dir" SERVICE_NAME) port=$(service_field "$dir" SERVICE_PORT)
    stop_process "$PLATFORM_HOME" "$name" >/dev/null
    start_service "$PLATFORM_HOME" "$dir" >/dev/null &
    local starter=$!
    until pid=$(cat "$(pid_file "$PLATFORM_HOME" "$name")" 2>/dev/null) && [[ -r /proc/$pid/stat ]]; do
        sleep 0.01
    done
    until service_ready "$port" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || die "$name exited while starting: ./platform logs $name"
        sleep 0.02
    done
    ready=$(awk -v now="$(uptime_now)" -v start="$(started_at "$pid")" 'BEGIN { printf "%d", (now - start) * 1000 }')
    local ticks rss
    ticks=$(ticks_of "$pid")
    rss=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
    wait "$starter"
    counters=$(jcmd "$pid" PerfCounter.print 2>/dev/null)
    local loaded mapped
    loaded=$(counter java.cls.loadedClasses "$counters") mapped=$(counter java.cls.sharedLoadedClasses "$counters")
    printf '%s %s %s %s %s %s %s\n' "$ready" \
        "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')" "$rss" \
        "$((${loaded:-0} + ${mapped:-0}))" "${mapped:-0}" \
        "$(awk -v ns="$(counter sun.cls.time "$counters")" 'BEGIN { printf "%.1f", ns / 1e9 }')" \
        "$(awk -v a="$(counter sun.ci.standardTime "$counters")" -v b="$(counter sun.ci.osrTime "$counters")" \
            'BEGIN { printf "%.1f", (a + b) / 1e9 }')"
}

# The median and range of one column of the runs' lines.
summary() {
    cut -d' ' -f"$1" | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf (NR > 1 ? "%s (%s–%s)" : "%s"), m, v[1], v[NR] }'
}

all=" $(declared SERVICE_NAME) "
for name in $services; do [[ $all == *" $name "* ]] || die "no service $name (there are:$all)"; done
dirs=()
for dir in $(service_dirs); do
    name=$(service_field "$dir" SERVICE_NAME)
    [[ -z $services || " $services " == *" $name "* ]] || continue
    service_ready "$(service_field "$dir" SERVICE_PORT)" 2>/dev/null || die "$name is not ready: run ./platform up"
    dirs+=("$dir")
done

floor=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    java -version 2>/dev/null
    floor+=($((($(date +%s%N) - start) / 1000000)))
done

printf '%s\n' "java: $(java -version 2>&1 | head -n 1); options: $(grep -v '^#' "$ROOT/local/service.jvm" | tr '\n' ' ')${SERVICE_HEAP:+-Xmx$SERVICE_HEAP }${SERVICE_JAVA_OPTS:-}"
printf '%s\n' "| service | ready ms | CPU s to ready | RSS MB at ready | classes | of them mapped | class loading s | JIT s |"
printf '%s\n' "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for dir in "${dirs[@]}"; do
    lines=""
    for _ in $(seq "$runs"); do lines+="$(measure "$dir")"$'\n'; done
    lines=${lines%$'\n'}
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(service_field "$dir" SERVICE_NAME)" \
        "$(summary 1 <<<"$lines")" "$(summary 2 <<<"$lines")" "$(summary 3 <<<"$lines")" \
        "$(summary 4 <<<"$lines")" "$(summary 5 <<<"$lines")" "$(summary 6 <<<"$lines")" "$(summary 7 <<<"$lines")"
done
printf '| %s | %s | | | | | | |\n' "floor: java -version" "$(printf '%s\n' "${floor[@]}" | summary 1)"
