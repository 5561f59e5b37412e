package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.EventTypeFilter;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import org.eclipse.microprofile.config.Config;

/**
 * How one subscriber channel consumes: the connector's own settings plus the toolkit's, which are
 * channel attributes too ({@code mp.messaging.incoming.<channel>.bus-subscriber=crm}, ...).
 *
 * @param name short name, used for its topics ({@code customer-events.<name>.dlq})
 * @param groupId its consumer group: a new group is a new, independent reader of the history
 * @param types the event types it wants, decided on the {@code ce_type} header
 * @param autoOffsetReset where a new group starts: {@code earliest} (history) or {@code latest}
 * @param topic what it reads: the bus, or its own retry topic
 * @param maxEventsPerSecond a ceiling, e.g. while replaying into a live store; 0 for none
 */
public record SubscriberSettings(
        String name,
        String groupId,
        EventTypeFilter types,
        String bootstrapServers,
        String autoOffsetReset,
        String topic,
        double maxEventsPerSecond) {

    public static final String NAME = "bus-subscriber";
    public static final String TYPES = "bus-types";
    public static final String MAX_EVENTS_PER_SECOND = "bus-max-events-per-second";

    static SubscriberSettings of(KafkaConnectorIncomingConfiguration channel) {
        Config config = channel.config();
        return new SubscriberSettings(
                config.getValue(NAME, String.class),
                config.getValue("group.id", String.class),
                EventTypeFilter.parse(config.getOptionalValue(TYPES, String.class).orElse("*")),
                channel.getBootstrapServers(),
                config.getOptionalValue("auto.offset.reset", String.class).orElse("latest"),
                channel.getTopic().orElse(channel.getChannel()),
                config.getOptionalValue(MAX_EVENTS_PER_SECOND, Double.class).orElse(0.0));
    }
}
