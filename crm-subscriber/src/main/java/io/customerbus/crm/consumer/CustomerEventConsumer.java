package io.customerbus.crm.consumer;

import io.customerbus.crm.service.TimelineWriter;
import io.customerbus.runtime.subscriber.BusSubscribers;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The CRM's subscription to the bus: every type, from the beginning of time, into the timeline. The
 * channel is configured in application.properties; the toolkit filters, dead-letters, flags replays
 * and commits around the writer.
 */
@ApplicationScoped
public class CustomerEventConsumer {

    public static final String CHANNEL = "customer-events";

    @Inject BusSubscribers bus;
    @Inject TimelineWriter timeline;

    /** A whole poll at a time: the writer COPYs a batch in one transaction. JDBC blocks. */
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(CHANNEL, records, timeline::apply);
    }
}
