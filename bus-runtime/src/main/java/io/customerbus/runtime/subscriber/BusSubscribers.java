package io.customerbus.runtime.subscriber;

import io.customerbus.runtime.tracing.BusTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The subscriber channels of this service, one {@link BusSubscriber} each. Plugged into the Kafka
 * connector as its commit strategy ({@code commit-strategy=bus-positions}, the toolkit's default):
 * the connector creates one per channel with the channel's consumer, and the service's
 * {@code @Incoming} method hands each batch to {@link #apply} (injected by default, found by the
 * connector by its identifier).
 */
@ApplicationScoped
@Default
@Identifier(BusSubscribers.COMMIT_STRATEGY)
public class BusSubscribers implements KafkaCommitHandler.Factory {

    public static final String COMMIT_STRATEGY = "bus-positions";

    private final Map<String, BusSubscriber> byChannel = new ConcurrentHashMap<>();

    @Inject MeterRegistry registry;
    @Inject BusTracing tracing;
    @Inject CatalogWriter catalog;
    @Inject Instance<StorePositions> storePositions;

    @Override
    public KafkaCommitHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        SubscriberSettings settings = SubscriberSettings.of(config);
        Optional<StoreRecovery> recovery =
                storePositions.isResolvable()
                        ? Optional.of(new StoreRecovery(settings, storePositions.get()))
                        : Optional.empty();
        BusPositions positions = new BusPositions(settings, consumer, recovery);
        BusSubscriber subscriber =
                new BusSubscriber(
                        settings,
                        positions,
                        recovery,
                        new DeadLetters(settings.name(), settings.bootstrapServers()),
                        tracing);
        SubscriberMetrics.bind(registry, subscriber);
        byChannel.put(config.getChannel(), subscriber);
        catalog.started(settings);
        return positions;
    }

    /** Applies a batch of the channel with the service's handler; see {@link BusSubscriber}. */
    public void apply(String channel, ConsumerRecords<String, byte[]> records, BatchHandler handler)
            throws InterruptedException {
        BusSubscriber subscriber = byChannel.get(channel);
        if (subscriber == null) {
            throw new IllegalStateException(
                    channel
                            + " is not a bus subscriber channel (commit-strategy "
                            + COMMIT_STRATEGY
                            + ")");
        }
        subscriber.apply(records, handler);
    }

    /** The channels started so far. */
    public Collection<BusSubscriber> started() {
        return byChannel.values();
    }

    /**
     * At the start of the shutdown, while the stores and clients the handlers use are still open
     * (they close later in it): a handler finishing the batch in hand can still record its work.
     */
    void stop(@Observes ShutdownEvent shutdown) {
        byChannel.values().forEach(BusSubscriber::beginStop);
        Instant deadline = Instant.now().plus(BusSubscriber.STOP_GRACE);
        byChannel.values().forEach(subscriber -> subscriber.awaitStop(deadline));
    }
}
