package io.customerbus.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.runtime.catalog.SubscriberCatalog;
import io.customerbus.runtime.catalog.SubscriberDescription;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The email subscriber describes itself on the catalog topic, without code of its own. */
@QuarkusTest
class CatalogTest {

    @ConfigProperty(name = "email.group-id")
    String group;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void itsDescriptionNamesItsTypesStartTopicsOwnerAndVersion() {
        SubscriberDescription described =
                // Described when its bus channel starts, again with its retry topic when that
                // channel does.
                await("the email subscriber in the catalog with its retry topic")
                        .atMost(Duration.ofSeconds(30))
                        .until(this::described, d -> d.isPresent() && d.get().retryTopic() != null)
                        .orElseThrow();

        assertThat(described.name()).isEqualTo("email");
        assertThat(described.types()).containsExactly("account-created", "purchase");
        assertThat(described.startsFrom()).isEqualTo("beginning");
        assertThat(described.deadLetterTopic()).isEqualTo("customer-events.email.dlq");
        assertThat(described.retryTopic()).isEqualTo("customer-events.email.retry");
        assertThat(described.owner()).isEqualTo("notifications");
        assertThat(described.service()).isEqualTo("email-subscriber");
        assertThat(described.version()).isEqualTo("0.1.0-SNAPSHOT");
    }

    private Optional<SubscriberDescription> described() {
        List<SubscriberDescription> catalog =
                SubscriberCatalog.read(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        Duration.ofSeconds(10));
        return catalog.stream().filter(d -> d.group().equals(group)).findFirst();
    }
}
