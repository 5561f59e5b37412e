package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.catalog.SubscriberDescription;
import io.customerbus.runtime.kafka.BusProducers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Puts this service's subscribers on the catalog topic as their channels start: what each wants,
 * where a new deployment starts, its DLQ and retry topics, its owner and version — so every
 * subscriber built on the toolkit is described without code of its own. A subscriber with a retry
 * channel is described again once that channel starts.
 */
@ApplicationScoped
public class CatalogWriter {

    private static final Logger LOG = Logger.getLogger(CatalogWriter.class);

    @ConfigProperty(name = "bus.subscriber.owner")
    String owner;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    /** Per subscriber name: the channel reading the bus, and whether one reads its retry topic. */
    private final Map<String, SubscriberSettings> busChannels = new HashMap<>();

    private final Set<String> withRetryChannel = new HashSet<>();
    private KafkaProducer<String, byte[]> producer;

    synchronized void started(SubscriberSettings channel) {
        if (channel.topic().equals(BusTopics.retry(channel.name()))) {
            withRetryChannel.add(channel.name());
        } else if (channel.topic().equals(BusTopics.CUSTOMER_EVENTS)) {
            busChannels.put(channel.name(), channel);
        } else {
            return;
        }
        SubscriberSettings bus = busChannels.get(channel.name());
        if (bus != null) {
            publish(bus, describe(bus));
        }
    }

    private SubscriberDescription describe(SubscriberSettings bus) {
        return new SubscriberDescription(
                bus.name(),
                bus.groupId(),
                bus.types().names(),
                "earliest".equals(bus.autoOffsetReset()) ? "beginning" : "now",
                BusTopics.deadLetter(bus.name()),
                withRetryChannel.contains(bus.name()) ? BusTopics.retry(bus.name()) : null,
                owner,
                service,
                version,
                Instant.now());
    }

    /** Sent in the background: a broker that is not there yet delays the entry, not the start. */
    private void publish(SubscriberSettings bus, SubscriberDescription description) {
        if (producer == null) {
            producer =
                    BusProducers.create(
                            bus.bootstrapServers(),
                            service + "-catalog",
                            Map.of(
                                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000));
        }
        producer.send(
                new ProducerRecord<>(
                        BusTopics.SUBSCRIBERS, description.group(), description.toJson()),
                (metadata, failure) -> {
                    if (failure != null) {
                        LOG.warnf(
                                "could not describe subscriber %s on %s: %s",
                                description.group(), BusTopics.SUBSCRIBERS, failure.getMessage());
                    }
                });
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
