package io.customerbus.runtime.subscriber;

import io.customerbus.runtime.kafka.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the broker answers, for a subscriber's readiness: a consumer keeps polling quietly while
 * the broker is away, so it has to be asked. Asked at most every {@code refresh}.
 */
public final class BrokerReachability implements AutoCloseable {

    private final Admin admin;
    private final Duration refresh;
    private boolean reachable;
    private long askedAt;

    public BrokerReachability(String bootstrapServers, Duration refresh) {
        this.refresh = refresh;
        Map<String, Object> config = new HashMap<>(KafkaConnection.properties(bootstrapServers));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        this.admin = Admin.create(config);
    }

    public synchronized boolean reachable() {
        if (askedAt != 0 && System.nanoTime() - askedAt < refresh.toNanos()) {
            return reachable;
        }
        askedAt = System.nanoTime();
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                    .clusterId()
                    .get(3, TimeUnit.SECONDS);
            reachable = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reachable = false;
        }
        return reachable;
    }

    @Override
    public synchronized void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
