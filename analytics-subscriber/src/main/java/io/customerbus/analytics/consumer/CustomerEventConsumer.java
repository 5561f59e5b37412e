package io.customerbus.analytics.consumer;

import io.customerbus.runtime.subscriber.BusSubscribers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Analytics' subscription to the bus: every type into the Redis aggregates. The channel is
 * configured in application.properties; the toolkit filters, dead-letters and commits around the
 * handler, which applies a batch in pipelined Redis round trips (blocking).
 */
@ApplicationScoped
public class CustomerEventConsumer {

    public static final String CHANNEL = "customer-events";

    @Inject BusSubscribers bus;
    @Inject AnalyticsHandler handler;

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(CHANNEL, records, handler::handle);
    }
}
