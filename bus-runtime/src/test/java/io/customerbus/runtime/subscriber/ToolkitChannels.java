package io.customerbus.runtime.subscriber;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Subscribers as a service writes them, one per behaviour under test (application.properties). */
@ApplicationScoped
public class ToolkitChannels {

    @Inject BusSubscribers bus;

    @ConfigProperty(name = "toolkit-it.user")
    String user;

    private final List<BusEvent> collected = new CopyOnWriteArrayList<>();
    private final List<BusEvent> survivors = new CopyOnWriteArrayList<>();

    List<BusEvent> collected() {
        return collected;
    }

    List<BusEvent> survivors() {
        return survivors;
    }

    @Incoming("collect")
    @Blocking
    public void collect(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        // Only product prod-1: the other tests publish for the same customer.
        bus.apply(
                "collect",
                records,
                batch ->
                        batch.stream()
                                .filter(e -> ours(e) && e.event().productId().equals("prod-1"))
                                .forEach(collected::add));
    }

    @Incoming("poison")
    @Blocking
    public void poison(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(
                "poison",
                records,
                batch -> {
                    for (BusEvent e : batch) {
                        if (ours(e) && e.event().productId().equals("bad")) {
                            throw new PoisonEventException(
                                    e.event().eventId(), "product 'bad' is unknown");
                        }
                    }
                    batch.stream().filter(this::ours).forEach(survivors::add);
                });
    }

    @Incoming("fatal")
    @Blocking
    public void fatal(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(
                "fatal",
                records,
                batch -> {
                    if (batch.stream()
                            .anyMatch(e -> ours(e) && e.event().productId().equals("fatal"))) {
                        throw new OutOfMemoryError("simulated: not an Exception to retry");
                    }
                });
    }

    private final AtomicBoolean storeDown = new AtomicBoolean(true);
    private final AtomicInteger stalledAttempts = new AtomicInteger();

    /** Until the store is up, every batch holding an event of product "stall" fails, and waits. */
    void storeUp() {
        storeDown.set(false);
    }

    int stalledAttempts() {
        return stalledAttempts.get();
    }

    @Incoming("stall")
    @Blocking
    public void stall(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(
                "stall",
                records,
                batch -> {
                    if (storeDown.get()
                            && batch.stream()
                                    .anyMatch(
                                            e ->
                                                    ours(e)
                                                            && e.event()
                                                                    .productId()
                                                                    .equals("stall"))) {
                        stalledAttempts.incrementAndGet();
                        throw new IllegalStateException("simulated: the store is down");
                    }
                });
    }

    private boolean ours(BusEvent e) {
        return e.event().userId().equals(user);
    }
}
