package io.customerbus.runtime.subscriber;

import java.util.List;

/**
 * A subscriber's own code: applies one batch of events to its store. It must be idempotent by
 * eventId (a batch is redelivered after a crash or a replay). Any exception is treated as transient
 * and the batch is retried; a {@link PoisonEventException} sends one event to the subscriber's
 * dead-letter topic and the rest of the batch is retried without it.
 */
@FunctionalInterface
public interface BatchHandler {

    void handle(List<BusEvent> batch) throws Exception;
}
