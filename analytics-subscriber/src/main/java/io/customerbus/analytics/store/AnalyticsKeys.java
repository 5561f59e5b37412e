package io.customerbus.analytics.store;

import java.util.UUID;

/**
 * Every Redis key of this subscriber, all under one prefix, so that a rebuild can wipe exactly them
 * and several deployments (or test runs) can share a Redis without meeting.
 */
public record AnalyticsKeys(String prefix) {

    /** The dedupe mark of one event, for the dedupe window: set by the script that applies it. */
    public String seen(UUID eventId) {
        return prefix + "seen:" + eventId;
    }

    /** Hash: partition of the bus → last offset applied. */
    public String positions() {
        return prefix + "positions";
    }

    /** Hash: event type → count. */
    public String events(String bucket) {
        return prefix + "events:" + bucket;
    }

    /** HyperLogLog of the customers seen in the bucket. */
    public String customers(String bucket) {
        return prefix + "customers:" + bucket;
    }

    /** Hash: "product|currency|purchases|refunds|units|revenue" → count or amount. */
    public String sales(String bucket) {
        return prefix + "sales:" + bucket;
    }

    /** Hash: "currency|purchases|refunds|units|revenue" → count or amount. */
    public String revenue(String bucket) {
        return prefix + "revenue:" + bucket;
    }

    /** Sorted set: product → net units. */
    public String top(String bucket) {
        return prefix + "top:" + bucket;
    }
}
