package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.kafka.EventTypeFilter;

/**
 * How one subscriber deployment consumes the bus.
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
        int maxPollRecords,
        String topic,
        double maxEventsPerSecond) {

    /** The same, at most this many events per second (0: no ceiling). */
    public SubscriberSettings withMaxEventsPerSecond(double rate) {
        return new SubscriberSettings(
                name,
                groupId,
                types,
                bootstrapServers,
                autoOffsetReset,
                maxPollRecords,
                topic,
                rate);
    }

    /** A subscriber of the bus itself, without a rate ceiling. */
    public SubscriberSettings(
            String name,
            String groupId,
            EventTypeFilter types,
            String bootstrapServers,
            String autoOffsetReset,
            int maxPollRecords) {
        this(
                name,
                groupId,
                types,
                bootstrapServers,
                autoOffsetReset,
                maxPollRecords,
                BusTopics.CUSTOMER_EVENTS,
                0);
    }
}
