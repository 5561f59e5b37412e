package io.customerbus.events.consumer;

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
 */
public record SubscriberSettings(
        String name,
        String groupId,
        EventTypeFilter types,
        String bootstrapServers,
        String autoOffsetReset,
        int maxPollRecords,
        String topic) {

    /** A subscriber of the bus itself. */
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
                BusTopics.CUSTOMER_EVENTS);
    }
}
