# The local Kafka broker: a real Apache Kafka in KRaft mode from the jars local/kafka fetches.
# Sourced, not run.

# The broker's own SCRAM user on a secured broker: a super user, for ./platform's set-up only.
KAFKA_SUPER_USER=kafka-broker

# kafka_start HOME PORT CONTROLLER_PORT [secure] [brokers (default: as made, else 1)]: formats storage on first use, starts the
# broker(s), waits until they answer a real request; sets KAFKA_BOOTSTRAP. One broker is process
# 'kafka' on PORT; with more, a KRaft cluster on loopback: node N is process 'kafka-N' on
# PORT+2(N-1), its controller on CONTROLLER_PORT+2(N-1). What a local Kafka was made as (secured,
# how many brokers) it stays: its data says so.
kafka_start() {
    local home=$1 port=$2 controller=$3 secure=${4:-false} brokers=${5:-} dir=$1/kafka made i
    made=$(kafka_brokers "$home")
    brokers=${brokers:-${made:-1}}
    if [[ -n $made ]]; then
        [[ $made == "$brokers" ]] ||
            die "the local Kafka was made with $made broker(s) (data in $dir): './platform down', delete $dir, then 'up --brokers $brokers'"
        if kafka_secured "$home"; then
            secure=true
        elif [[ $secure == true ]]; then
            die "the local broker was made without --secure (data in $dir): './platform down', delete $dir, then 'up --secure'"
        fi
    fi
    [[ -d $KAFKA_LIB ]] || die "broker jars missing: run 'mvn -pl local/kafka package' or './platform up --build'"
    mkdir -p "$dir"
    echo "$brokers" >"$dir/brokers"
    echo "$port" >"$dir/port"
    [[ -f $dir/cluster.id ]] || java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null >"$dir/cluster.id"
    if [[ $secure == true ]]; then
        "$ROOT/local/kafka/tls-material.sh" "$dir/tls" >/dev/null 2>&1 || die "could not make the TLS material (keytool)"
        [[ -f $dir/super.password ]] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/super.password")
        touch "$dir/secured"
        kafka_cli_user "$home" "$KAFKA_SUPER_USER"
    fi
    local voters=""
    for ((i = 1; i <= brokers; i++)); do
        voters+="${voters:+,}$i@127.0.0.1:$((controller + 2 * (i - 1)))"
    done
    for ((i = 1; i <= brokers; i++)); do
        kafka_node_start "$home" "$i" "$brokers" "$((port + 2 * (i - 1)))" "$((controller + 2 * (i - 1)))" "$voters" "$secure"
    done
    KAFKA_BOOTSTRAP=$(kafka_bootstrap "$home" "$port")
    if ! bus_cli ready --bootstrap-server "$KAFKA_BOOTSTRAP" --timeout PT90S; then
        tail -n 20 "$home/logs/$(kafka_nodes "$home" | head -n 1).log" >&2
        for node in $(kafka_nodes "$home"); do
            stop_process "$home" "$node"
        done
        die "kafka did not start"
    fi
}

# kafka_node_start HOME N BROKERS PORT CONTROLLER_PORT VOTERS SECURE: one node, formatted on first use.
kafka_node_start() {
    local home=$1 n=$2 brokers=$3 port=$4 controller=$5 voters=$6 secure=$7 name=kafka node_dir=$1/kafka
    if ((brokers > 1)); then
        name=kafka-$n
        node_dir=$home/kafka/node-$n
    fi
    if running "$home" "$name"; then
        info "$name already running (pid $(cat "$(pid_file "$home" "$name")")) on 127.0.0.1:$port"
        return 0
    fi
    port_open 127.0.0.1 "$port" && die "port $port is taken by something else; set KAFKA_PORT"
    mkdir -p "$node_dir/data"
    {
        sed -e "s#@KAFKA_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@DATA_DIR@#$node_dir/data#g" \
            "$ROOT/local/kafka/server.properties.template"
        if ((brokers > 1)); then
            sed -e "s#@NODE_ID@#$n#g" -e "s#@VOTERS@#$voters#g" -e "s#@REPLICATION@#$((brokers < 3 ? brokers : 3))#g" \
                -e "s#@MIN_ISR@#$((brokers < 3 ? 1 : 2))#g" "$ROOT/local/kafka/cluster.properties.template"
        fi
        if [[ $secure == true ]]; then
            sed -e "s#@KAFKA_PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@TLS_DIR@#$home/kafka/tls#g" \
                -e "s#@STORE_PASSWORD@#$(cat "$home/kafka/tls/store.password")#g" \
                -e "s#@BROKER_PASSWORD@#$(cat "$home/kafka/super.password")#g" \
                "$ROOT/local/kafka/secure.properties.template"
        fi
    } >"$node_dir/server.properties"
    chmod 600 "$node_dir/server.properties"
    if [[ ! -f $node_dir/data/meta.properties ]]; then
        local -a scram=()
        [[ $secure == true ]] && scram=(-S "SCRAM-SHA-512=[name=$KAFKA_SUPER_USER,password=$(cat "$home/kafka/super.password")]")
        java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/local/kafka/log4j2.properties" \
            kafka.tools.StorageTool format -t "$(cat "$home/kafka/cluster.id")" -c "$node_dir/server.properties" \
            "${scram[@]}" >/dev/null
    fi
    # shellcheck disable=SC2086 # KAFKA_JAVA_OPTS is a list of options, like SERVICE_JAVA_OPTS
    start_process "$home" "$name" java -Xms256m -Xmx${KAFKA_HEAP:-512m} ${KAFKA_JAVA_OPTS:-} \
        -Dlog4j2.configurationFile="$ROOT/local/kafka/log4j2.properties" \
        -cp "$KAFKA_LIB/*" kafka.Kafka "$node_dir/server.properties"
    info "$name starting on 127.0.0.1:$port (pid $(cat "$(pid_file "$home" "$name")"), log $home/logs/$name.log)"
}

# kafka_brokers HOME: how many brokers the local Kafka of HOME was made with; empty if none yet.
kafka_brokers() {
    if [[ -f $1/kafka/brokers ]]; then
        cat "$1/kafka/brokers"
    elif [[ -f $1/kafka/data/meta.properties ]]; then
        echo 1 # made before the count was recorded
    fi
}

# kafka_nodes HOME: the process names of the local Kafka's nodes (kafka, or kafka-1 ... kafka-N).
kafka_nodes() {
    local brokers i
    brokers=$(kafka_brokers "$1")
    if ((${brokers:-1} == 1)); then
        echo kafka
    else
        for ((i = 1; i <= brokers; i++)); do echo "kafka-$i"; done
    fi
}

# kafka_bootstrap HOME PORT: the local Kafka's addresses, for clients.
# kafka_port HOME: the port the local Kafka of HOME was last started on (KAFKA_PORT wins; 9092 when
# it never was), so that every later command reaches that broker — not another one on 9092.
kafka_port() { echo "${KAFKA_PORT:-$(cat "$1/kafka/port" 2>/dev/null || echo 9092)}"; }

kafka_bootstrap() {
    local brokers i list=""
    brokers=$(kafka_brokers "$1")
    for ((i = 1; i <= ${brokers:-1}; i++)); do
        list+="${list:+,}127.0.0.1:$(($2 + 2 * (i - 1)))"
    done
    echo "$list"
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

# kafka_users HOME BOOTSTRAP: on a secured broker, one SCRAM user per KafkaUser manifest of the project
# (the same files the cluster applies), each holding exactly its manifest's ACLs; a user made for a
# manifest that is gone (a removed subscriber) is removed with its ACLs.
kafka_users() {
    kafka_secured "$1" || return 0
    bus_cli users sync --prune --bootstrap-server "$2" --passwords "$1/kafka/users" "$ROOT" >/dev/null ||
        die "could not make the Kafka users"
    info "kafka secured: TLS, SCRAM-SHA-512, the ACLs of k8s/'s KafkaUsers"
}

# kafka_topics BOOTSTRAP: the bus, the operators' audit log and every DLQ/retry topic the services
# declare, all kept forever, and the compacted subscriber catalog; replicated as the cluster's
# default says (1 on one broker, 3 on a local cluster).
kafka_topics() {
    local bootstrap=$1
    # shellcheck disable=SC2046
    bus_cli topics ensure --bootstrap-server "$bootstrap" --partitions "${BUS_PARTITIONS:-6}" \
        --config retention.ms=-1 --config cleanup.policy=delete \
        customer-events customer-events.audit $(declared_topics)
    # The subscriber catalog: the latest description of each subscriber, by consumer group.
    bus_cli topics ensure --bootstrap-server "$bootstrap" --partitions 1 \
        --config cleanup.policy=compact customer-events.subscribers
}
