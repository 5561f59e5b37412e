package io.customerbus.events.kafka;

/** Topic names of the bus, shared by services, tools and tests. */
public final class BusTopics {

    /** The bus: every customer event, keyed by userId, retained forever. */
    public static final String CUSTOMER_EVENTS = "customer-events";

    /**
     * The subscriber catalog: what each subscriber deployment says of itself when it starts, keyed
     * by its consumer group, compacted (the latest description of each is kept).
     */
    public static final String SUBSCRIBERS = CUSTOMER_EVENTS + ".subscribers";

    private BusTopics() {}

    /** A subscriber's dead-letter topic: records it could not process, with the reason. */
    public static String deadLetter(String subscriber) {
        return CUSTOMER_EVENTS + "." + subscriber + ".dlq";
    }

    /**
     * A subscriber's own retry topic. Re-driven records go here, never back onto the bus, where
     * every other subscriber would see them a second time.
     */
    public static String retry(String subscriber) {
        return CUSTOMER_EVENTS + "." + subscriber + ".retry";
    }
}
