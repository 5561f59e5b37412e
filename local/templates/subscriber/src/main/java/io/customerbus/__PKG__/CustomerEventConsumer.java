package io.customerbus.__PKG__;

import io.customerbus.runtime.subscriber.BusSubscribers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * __CLASS__'s subscription to the bus, a channel configured in application.properties. The
 * toolkit keeps only the configured types (decided on the header), sends poison records to
 * customer-events.__NAME__.dlq with the reason, flags replayed history, commits after the handler
 * applied a batch, and gives the standard metrics and readiness.
 */
@ApplicationScoped
public class CustomerEventConsumer {

    public static final String CHANNEL = "customer-events";

    @Inject BusSubscribers bus;
    @Inject __CLASS__Handler handler;

    /** A whole poll at a time; blocking, so the handler may write to any store. */
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(CHANNEL, records, handler::handle);
    }
}
