# The local Kafka broker: a real Apache Kafka in KRaft mode from the jars local/kafka fetches.
# Sourced, not run.

# The broker's own SCRAM user on a secured broker: a super user, for ./platform's set-up only.
KAFKA_SUPER_USER=kafka-broker

# kafka_start HOME PORT CONTROLLER_PORT [secure]: formats storage on first use, starts the broker,
# waits until it answers a real request. A broker made secured (TLS, SCRAM, ACLs) stays secured.
kafka_start() {
    local home=$1 port=$2 controller=$3 secure=${4:-false} dir=$1/kafka
    if [[ -f $dir/data/meta.properties ]]; then
        if kafka_secured "$home"; then
            secure=true
        elif [[ $secure == true ]]; then
            die "the local broker was made without --secure (data in $dir): './platform down', delete $dir, then 'up --secure'"
        fi
    fi
    if [[ $secure == true ]]; then
        mkdir -p "$dir"
        "$ROOT/local/kafka/tls-material.sh" "$dir/tls" >/dev/null 2>&1 || die "could not make the TLS material (keytool)"
        [[ -f $dir/super.password ]] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/super.password")
        touch "$dir/secured"
        kafka_cli_user "$home" "$KAFKA_SUPER_USER"
    fi
    if running "$home" kafka; then
        info "kafka already running (pid $(cat "$(pid_file "$home" kafka)")) on 127.0.0.1:$port"
        return 0
    fi
    port_open 127.0.0.1 "$port" && die "port $port is taken by something else; set KAFKA_PORT"
    [[ -d $KAFKA_LIB ]] || die "broker jars missing: run 'mvn -pl local/kafka package' or './platform up --build'"
    mkdir -p "$dir/data"
    local -a scram=()
    {
        sed -e "s#@KAFKA_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@DATA_DIR@#$dir/data#g" \
            "$ROOT/local/kafka/server.properties.template"
        if [[ $secure == true ]]; then
            sed -e "s#@KAFKA_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@TLS_DIR@#$dir/tls#g" \
                -e "s#@STORE_PASSWORD@#$(cat "$dir/tls/store.password")#g" \
                -e "s#@BROKER_PASSWORD@#$(cat "$dir/super.password")#g" \
                "$ROOT/local/kafka/secure.properties.template"
        fi
    } >"$dir/server.properties"
    chmod 600 "$dir/server.properties"
    [[ $secure == true ]] && scram=(-S "SCRAM-SHA-512=[name=$KAFKA_SUPER_USER,password=$(cat "$dir/super.password")]")
    if [[ ! -f $dir/data/meta.properties ]]; then
        local cluster_id
        # The SLF4J notice on stderr would otherwise end up in the id.
        cluster_id=$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
        java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/local/kafka/log4j2.properties" \
            kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" "${scram[@]}" >/dev/null
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

# kafka_secured HOME: whether the broker of HOME was made secured (./platform up --secure).
kafka_secured() { [[ -f $1/kafka/secured ]]; }

# kafka_client_env HOME USER: the settings a client needs to reach the broker of HOME as USER, one
# VAR=value per line, as services and bus-cli read them (KafkaConnection); none for a plain broker.
kafka_client_env() {
    local home=$1 user=$2 dir=$1/kafka password_file
    kafka_secured "$home" || return 0
    password_file=$dir/users/$user.password
    [[ $user == "$KAFKA_SUPER_USER" ]] && password_file=$dir/super.password
    [[ -f $password_file ]] ||
        die "no Kafka user '$user' on the secured broker: its module needs a k8s/kafkauser.yaml ('./platform up' makes the users)"
    printf '%s\n' KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_SASL_MECHANISM=SCRAM-SHA-512 \
        "KAFKA_SASL_JAAS_CONFIG=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$user\" password=\"$(cat "$password_file")\";" \
        "KAFKA_SSL_TRUSTSTORE_LOCATION=$dir/tls/truststore.p12" KAFKA_SSL_TRUSTSTORE_TYPE=PKCS12 \
        "KAFKA_SSL_TRUSTSTORE_PASSWORD=$(cat "$dir/tls/store.password")"
}

# kafka_cli_user HOME USER: bus_cli connects as USER from now on (on a secured broker).
kafka_cli_user() {
    local settings
    settings=$(kafka_client_env "$1" "$2")
    BUS_CLI_ENV=()
    [[ -z $settings ]] || mapfile -t BUS_CLI_ENV <<<"$settings"
}

# kafka_users HOME PORT: on a secured broker, one SCRAM user per KafkaUser manifest of the project
# (the same files the cluster applies), each holding exactly its manifest's ACLs.
kafka_users() {
    kafka_secured "$1" || return 0
    local -a manifests
    mapfile -t manifests < <(find "$ROOT" -path "$ROOT/local" -prune -o -path '*/target' -prune -o \
        -path '*/k8s/*' -name '*.yaml' -print | sort)
    bus_cli users sync --bootstrap-server "127.0.0.1:$2" --passwords "$1/kafka/users" "${manifests[@]}" >/dev/null ||
        die "could not make the Kafka users"
    info "kafka secured: TLS, SCRAM-SHA-512, the ACLs of k8s/'s KafkaUsers"
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
