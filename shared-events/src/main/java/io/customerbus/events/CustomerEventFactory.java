package io.customerbus.events;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Creates events for one publishing service: a fresh id, the current time and its source. */
public final class CustomerEventFactory {

    private final String source;
    private final Clock clock;

    public CustomerEventFactory(String source) {
        this(source, Clock.systemUTC());
    }

    public CustomerEventFactory(String source, Clock clock) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must name the publishing service");
        }
        this.source = source;
        this.clock = clock;
    }

    /**
     * A new event of the given type. Time is kept to the millisecond: that is what the Kafka record
     * timestamp and the CloudEvents {@code time} header carry, so all three agree.
     */
    public CustomerEvent create(
            String eventType, String userId, String productId, Map<String, Object> data) {
        return new CustomerEvent(
                UUID.randomUUID(),
                eventType,
                userId,
                productId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                source,
                CustomerEvent.CURRENT_SCHEMA_VERSION,
                data);
    }

    public String source() {
        return source;
    }
}
