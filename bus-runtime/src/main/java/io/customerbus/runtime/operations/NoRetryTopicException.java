package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusTopics;

/**
 * A re-drive for a subscriber without a retry topic: it has nowhere to go (the bus would give the
 * records to every subscriber again), so it is refused — a conflict with how the subscriber is
 * deployed, which the message says how to work around.
 */
public class NoRetryTopicException extends RuntimeException {

    public NoRetryTopicException(String subscriber) {
        super(
                subscriber
                        + " reads no retry topic ("
                        + BusTopics.retry(subscriber)
                        + " does not exist), so its dead letters cannot be re-driven; once the"
                        + " cause is fixed, replay its group from before the first dead letter"
                        + " ('bus replay --to-datetime') if it acts once per event id, as the CRM"
                        + " does, so that only what failed is applied again; a subscriber that"
                        + " guards on its position instead, as analytics does, is rebuilt"
                        + " ('bus keys wipe', then a replay from the beginning)");
    }
}
