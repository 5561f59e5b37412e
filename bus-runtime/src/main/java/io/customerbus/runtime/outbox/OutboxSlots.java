package io.customerbus.runtime.outbox;

/** Which slot a customer's events go through; String.hashCode is the same on every JVM. */
final class OutboxSlots {

    /** Namespace of the outbox's advisory locks, so they never clash with a service's own. */
    static final int LOCK_NAMESPACE = 0x0B05_0B05;

    private OutboxSlots() {}

    static int of(String userId, int slots) {
        return Math.floorMod(userId.hashCode(), slots);
    }
}
