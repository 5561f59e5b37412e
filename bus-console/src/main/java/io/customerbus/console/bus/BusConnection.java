package io.customerbus.console.bus;

import io.customerbus.runtime.catalog.SubscriberCatalog;
import io.customerbus.runtime.kafka.KafkaConnection;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The console's clients of the broker, made once: an admin client, a group-less reader that never
 * commits (reading changes nothing) and a reader of the subscriber catalog that keeps its place.
 * Readers are not thread-safe, so views take turns.
 */
@ApplicationScoped
public class BusConnection {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the audit log names as the tool of the console's actions. */
    public static final String TOOL = "bus-console";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Admin admin;
    private KafkaConsumer<String, byte[]> reader;
    private SubscriberCatalog catalog;

    /** What a view does with the broker, one view at a time. */
    public interface Work<T> {
        T with(Admin admin, KafkaConsumer<String, byte[]> reader, SubscriberCatalog catalog)
                throws Exception;
    }

    /** What may read the whole bus, on a reader of its own ({@link #runAlone}). */
    public interface Scan<T> {
        T with(Admin admin, KafkaConsumer<String, byte[]> reader) throws Exception;
    }

    @PostConstruct
    void open() {
        Map<String, Object> props = connection();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        admin = Admin.create(props);
        reader = newReader(100);
    }

    public synchronized <T> T run(Work<T> work) throws Exception {
        if (catalog == null || catalog.topicMissing()) {
            // Opened on first use, and again while its topic is missing: the catalog topic may
            // appear after the console starts (Strimzi creates topics on its own time).
            if (catalog != null) {
                catalog.close();
            }
            catalog = new SubscriberCatalog(connection(), TIMEOUT);
        }
        return work.with(admin, reader, catalog);
    }

    /**
     * Work that may read the whole bus (a replay from an event id looks for it from the first
     * record on): on a reader of its own, closed afterwards, so that the other views and the
     * readiness check do not wait for it. The admin client is shared: it is thread-safe.
     */
    public <T> T runAlone(Scan<T> scan) throws Exception {
        try (KafkaConsumer<String, byte[]> own = newReader(2_000)) {
            return scan.with(admin, own);
        }
    }

    private KafkaConsumer<String, byte[]> newReader(int maxPollRecords) {
        Map<String, Object> props = connection();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A read whose records are deleted under it (a purge, retention) goes on from the first
        // record left, not from the end, past records still there.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The address plus the cluster's TLS/SASL settings, for clients a view makes itself. */
    public Map<String, Object> connection() {
        return new HashMap<>(KafkaConnection.properties(bootstrapServers));
    }

    @PreDestroy
    synchronized void close() {
        if (catalog != null) {
            catalog.close();
        }
        reader.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }
}
