package io.customerbus.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** How the platform writes to Kafka: key = userId as text, value = bytes, idempotent, acks=all. */
public final class BusProducers {

    private BusProducers() {}

    /** A producer with the platform's settings, plus any the caller adds or overrides. */
    public static KafkaProducer<String, byte[]> create(
            String bootstrapServers, String clientId, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(KafkaConnection.properties(bootstrapServers));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
