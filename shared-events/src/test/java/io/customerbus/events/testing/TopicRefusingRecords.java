package io.customerbus.events.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic of the test broker refusing every record while open: its records may be no larger than
 * one byte. The broker says so at once (RecordTooLargeException), as it refuses a client without
 * write access to the topic.
 */
public final class TopicRefusingRecords implements AutoCloseable {

    private final ConfigResource topic;

    public TopicRefusingRecords(String topic) throws Exception {
        this.topic = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            alter(AlterConfigOp.OpType.SET, "1");
        } catch (Exception | AssertionError e) {
            // Never left refusing: the broker, and this topic, serve every module's tests.
            close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        alter(AlterConfigOp.OpType.DELETE, null);
    }

    /** Returns once the broker answers with the topic's new setting ({@code null}: its default). */
    private void alter(AlterConfigOp.OpType op, String expected) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBroker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(
                            Map.of(
                                    topic,
                                    List.of(
                                            new AlterConfigOp(
                                                    new ConfigEntry(
                                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                            "1"),
                                                    op))))
                    .all()
                    .get();
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> {
                                ConfigEntry entry =
                                        admin.describeConfigs(List.of(topic))
                                                .all()
                                                .get()
                                                .get(topic)
                                                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                                return expected == null
                                        ? entry.source()
                                                != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                                        : expected.equals(entry.value());
                            });
        }
    }
}
