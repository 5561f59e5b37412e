package io.customerbus.cli;

import io.customerbus.runtime.kafka.KafkaConnection;
import io.customerbus.runtime.operations.Actor;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Option;

/** How to reach the broker; shared by every command as a mixin. */
public class BrokerOptions {

    @Option(
            names = {"-b", "--bootstrap-server"},
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description =
                    "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--timeout",
            defaultValue = "PT10S",
            description = "How long to wait for the broker, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    public Admin admin() {
        Properties props = connection();
        int millis = (int) Math.max(1000, timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        // Fail fast on a dead address instead of retrying for the client's default minute.
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(props);
    }

    /**
     * A group-less reader of the bus that sees what subscribers see (committed transactions only);
     * it never commits offsets, so reading changes nothing.
     */
    public KafkaConsumer<String, byte[]> reader(int maxPollRecords) {
        Properties props = connection();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A read whose records are deleted under it (a purge, retention) goes on from the first
        // record left, not from the end, past records still there.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The address plus the cluster's TLS/SASL settings (env KAFKA_SECURITY_PROTOCOL, ...). */
    public Properties connection() {
        Properties props = new Properties();
        props.putAll(KafkaConnection.properties(bootstrapServers));
        return props;
    }

    /** Who acts, for the audit log: the operating-system user running the CLI. */
    static Actor operator() {
        return Actor.localUser("bus-cli");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Duration timeout() {
        return timeout;
    }
}
