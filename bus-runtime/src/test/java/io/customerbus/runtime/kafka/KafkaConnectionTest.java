package io.customerbus.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    @Test
    void aPlainLocalSetupGetsOnlyTheAddress() {
        var config = new SmallRyeConfigBuilder().build();

        assertThat(KafkaConnection.properties("broker:9092", config))
                .containsExactly(Map.entry("bootstrap.servers", "broker:9092"));
    }

    @Test
    void theEnvVarsAKubernetesConfigMapSetsReachEveryClient() {
        // The same names the services' ConfigMaps and Secrets use (k8s/).
        var env =
                Map.of(
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", "org.example.Login required;",
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-ca/ca.p12",
                        "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
                        "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                        "KAFKA_UNRELATED", "ignored");
        var config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300)).build();

        assertThat(KafkaConnection.properties("bus-kafka-bootstrap:9093", config))
                .containsOnly(
                        Map.entry("bootstrap.servers", "bus-kafka-bootstrap:9093"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("sasl.jaas.config", "org.example.Login required;"),
                        Map.entry("ssl.truststore.location", "/etc/kafka-ca/ca.p12"),
                        Map.entry("ssl.truststore.type", "PKCS12"),
                        Map.entry("ssl.truststore.password", "changeit"));
        assertThat(KafkaConnection.SECURITY_SETTINGS)
                .map(KafkaConnection::envName)
                .allMatch(env::containsKey);
    }
}
