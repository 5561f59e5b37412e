# The local trace viewer: Zipkin's server from the jar local/zipkin fetches, spans in memory.
# UI at /zipkin/, a trace as JSON at /api/v2/trace/<traceId>. Sourced, not run.

ZIPKIN_JAR=$ROOT/local/zipkin/target/lib/zipkin-server.jar

# zipkin_start HOME PORT
zipkin_start() {
    local home=$1 port=$2
    if running "$home" zipkin; then
        info "zipkin already running (pid $(cat "$(pid_file "$home" zipkin)")) on 127.0.0.1:$port"
        return 0
    fi
    [[ -f $ZIPKIN_JAR ]] || die "Zipkin jar missing: run 'mvn -pl local/zipkin package'"
    port_open 127.0.0.1 "$port" && die "port $port is taken by something else; set ZIPKIN_PORT"
    start_process "$home" zipkin java -Xmx256m -jar "$ZIPKIN_JAR" --server.port="$port"
}

# zipkin_await HOME PORT: waits for the viewer (it takes ~20 s on a busy machine; start it early).
zipkin_await() {
    local home=$1 port=$2
    wait_until 90 zipkin curl -fsS -o /dev/null "http://127.0.0.1:$port/health" || {
        tail -n 20 "$home/logs/zipkin.log" >&2
        die "Zipkin did not start"
    }
    info "zipkin ready: traces at http://127.0.0.1:$port/zipkin/"
}

# The environment that makes a service export its spans to the viewer on PORT.
zipkin_exporting() {
    export QUARKUS_OTEL_SDK_DISABLED=false BUS_TRACING_EXPORTER=zipkin \
        BUS_TRACING_ENDPOINT="http://127.0.0.1:$1/api/v2/spans"
}
