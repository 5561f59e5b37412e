package io.customerbus.runtime.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the relay as soon as a commit has something for it, so the happy path never waits for a
 * polling interval; also knows which slots this process's relay owns, so a writer can tell whether
 * a local wake-up is enough or another replica must be notified through PostgreSQL.
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class OutboxWakeUp {

    private final Semaphore pending = new Semaphore(0);
    private final Set<Integer> ownedSlots = ConcurrentHashMap.newKeySet();

    void wake() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits for a wake-up or the timeout; true when woken. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = pending.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.drainPermits();
        return woken;
    }

    /** How many slots this process's relay owns now. */
    int ownedCount() {
        return ownedSlots.size();
    }

    boolean owns(int slot) {
        return ownedSlots.contains(slot);
    }

    void owned(Set<Integer> slots) {
        ownedSlots.retainAll(slots);
        ownedSlots.addAll(slots);
    }
}
