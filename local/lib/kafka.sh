# The local Kafka broker: a real Apache Kafka in KRaft mode from the jars local/kafka fetches.
# Sourced, not run.

# kafka_start HOME PORT CONTROLLER_PORT: formats storage on first use, starts the broker,
# waits until it answers a real request and creates the bus topics.
kafka_start() {
    local home=$1 port=$2 controller=$3 dir=$1/kafka
    if running "$home" kafka; then
        info "kafka already running (pid $(cat "$(pid_file "$home" kafka)")) on 127.0.0.1:$port"
        return 0
    fi
    port_open 127.0.0.1 "$port" && die "port $port is taken by something else; set KAFKA_PORT"
    [[ -d $KAFKA_LIB ]] || die "broker jars missing: run 'mvn -pl local/kafka package' or './platform up --build'"
    mkdir -p "$dir/data"
    sed -e "s#@KAFKA_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@DATA_DIR@#$dir/data#g" \
        "$ROOT/local/kafka/server.properties.template" >"$dir/server.properties"
    if [[ ! -f $dir/data/meta.properties ]]; then
        local cluster_id
        # The SLF4J notice on stderr would otherwise end up in the id.
        cluster_id=$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
        java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/local/kafka/log4j2.properties" \
            kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >/dev/null
    fi
    start_process "$home" kafka java -Xms256m -Xmx${KAFKA_HEAP:-512m} \
        -Dlog4j2.configurationFile="$ROOT/local/kafka/log4j2.properties" \
        -cp "$KAFKA_LIB/*" kafka.Kafka "$dir/server.properties"
    info "kafka starting on 127.0.0.1:$port (pid $(cat "$(pid_file "$home" kafka)"), log $home/logs/kafka.log)"
    if ! bus_cli ready --bootstrap-server "127.0.0.1:$port" --timeout PT60S; then
        tail -n 20 "$home/logs/kafka.log" >&2
        die "kafka did not start"
    fi
}

# kafka_topics PORT: the bus, the operators' audit log and every DLQ/retry topic the services
# declare, all kept forever,
# and the compacted subscriber catalog.
kafka_topics() {
    local port=$1
    # shellcheck disable=SC2046
    bus_cli topics ensure --bootstrap-server "127.0.0.1:$port" --partitions "${BUS_PARTITIONS:-6}" \
        --config retention.ms=-1 --config cleanup.policy=delete \
        customer-events customer-events.audit $(declared_topics)
    # The subscriber catalog: the latest description of each subscriber, by consumer group.
    bus_cli topics ensure --bootstrap-server "127.0.0.1:$port" --partitions 1 \
        --config cleanup.policy=compact customer-events.subscribers
}
