package io.customerbus.runtime.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How every Kafka client of the platform reaches the brokers: the bootstrap address plus, on a
 * secured cluster, TLS and SASL settings. Locally none are set (plain listener); on Kubernetes the
 * Strimzi listener wants SCRAM over TLS, so each service's ConfigMap/Secret sets the env vars
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG} and
 * {@code KAFKA_SSL_TRUSTSTORE_*}, which MicroProfile Config maps to {@code kafka.<setting>}. One
 * place, so no client (consumer, producer, admin, CLI) can be the one left unauthenticated.
 */
public final class KafkaConnection {

    /** The Kafka client settings taken from config under the {@code kafka.} prefix. */
    public static final List<String> SECURITY_SETTINGS =
            List.of(
                    "security.protocol",
                    "sasl.mechanism",
                    "sasl.jaas.config",
                    "ssl.truststore.location",
                    "ssl.truststore.type",
                    "ssl.truststore.password");

    private KafkaConnection() {}

    /** Client properties for this process's configuration. */
    public static Map<String, Object> properties(String bootstrapServers) {
        return properties(bootstrapServers, ConfigProvider.getConfig());
    }

    public static Map<String, Object> properties(String bootstrapServers, Config config) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrapServers);
        for (String setting : SECURITY_SETTINGS) {
            config.getOptionalValue("kafka." + setting, String.class)
                    .filter(value -> !value.isBlank())
                    .ifPresent(value -> properties.put(setting, value));
        }
        return properties;
    }

    /** The env var that sets a setting, as the services' ConfigMaps name it. */
    public static String envName(String setting) {
        return ("kafka." + setting).toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }
}
