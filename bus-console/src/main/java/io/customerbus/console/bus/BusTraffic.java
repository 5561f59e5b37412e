package io.customerbus.console.bus;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Events per second on the bus by type, over the last five minutes: a reader of its own follows the
 * bus from its end and counts records by their {@code ce_type} header (bodies are never read), in
 * ten-second buckets.
 */
@ApplicationScoped
public class BusTraffic {

    public static final int BUCKET_SECONDS = 10;
    public static final int BUCKETS = 30;

    private static final Logger LOG = Logger.getLogger(BusTraffic.class);

    @Inject BusConnection connection;

    /** Counts by bucket (epoch seconds / BUCKET_SECONDS) and type. */
    private final TreeMap<Long, Map<String, Long>> counts = new TreeMap<>();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread follower;

    void start(@Observes StartupEvent started) {
        follower = new Thread(this::follow, "bus-traffic");
        follower.setDaemon(true);
        follower.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running.set(false);
        if (follower != null) {
            follower.join(5_000);
        }
    }

    /** Events per second by type in each of the last buckets, oldest first; the last is current. */
    public synchronized Map<String, double[]> series() {
        long now = System.currentTimeMillis() / 1000 / BUCKET_SECONDS;
        Map<String, double[]> series = new TreeMap<>();
        counts.tailMap(now - BUCKETS + 1)
                .forEach(
                        (bucket, byType) ->
                                byType.forEach(
                                        (type, n) ->
                                                series.computeIfAbsent(
                                                                        type,
                                                                        t -> new double[BUCKETS])[
                                                                (int)
                                                                        (bucket - now + BUCKETS
                                                                                - 1)] =
                                                        (double) n / BUCKET_SECONDS));
        return series;
    }

    /** Adds one poll's counts to the bucket of now, under one lock. */
    private synchronized void add(Map<String, Long> polled) {
        long bucket = System.currentTimeMillis() / 1000 / BUCKET_SECONDS;
        Map<String, Long> byType = counts.computeIfAbsent(bucket, b -> new TreeMap<>());
        polled.forEach((type, n) -> byType.merge(type, n, Long::sum));
        while (counts.size() > BUCKETS + 1) {
            counts.pollFirstEntry();
        }
    }

    private void follow() {
        while (running.get()) {
            Map<String, Object> props = connection.connection();
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<byte[], byte[]> reader =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> bus =
                        reader.partitionsFor(BusTopics.CUSTOMER_EVENTS).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList();
                if (bus.isEmpty()) {
                    // The bus topic is not there yet (a cluster still being set up): look again.
                    LOG.infof("no %s topic yet; looking again in 5 s", BusTopics.CUSTOMER_EVENTS);
                    sleep();
                    continue;
                }
                reader.assign(bus);
                reader.seekToEnd(bus);
                while (running.get()) {
                    // Counted when it arrived, a poll at a time: the record time is the event
                    // time, which a replayed or late event would put in the past.
                    Map<String, Long> polled = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> record :
                            reader.poll(Duration.ofMillis(500))) {
                        String type = BusHeaders.text(record.headers(), BusHeaders.CE_TYPE);
                        polled.merge(type == null ? "(none)" : type, 1L, Long::sum);
                    }
                    if (!polled.isEmpty()) {
                        add(polled);
                    }
                }
            } catch (KafkaException | IllegalStateException e) {
                // Whatever fails, the thread lives on: if it ended, the traffic would read zero
                // for good.
                LOG.warnf("following the bus failed, again in 5 s: %s", e.getMessage());
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
