package io.customerbus.console.bus;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.catalog.BusOverview;
import io.customerbus.runtime.catalog.SubscriberStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** Builds the console's view of the bus, with the same code as {@code bus subscribers}. */
@ApplicationScoped
public class BusViews {

    /**
     * The catalog's end, the groups, their offsets, the bus's and the DLQs' offsets and topics, the
     * bus's config and offsets.
     */
    private static final int FIXED_REQUESTS = 10;

    @Inject BusConnection connection;
    @Inject BusTraffic traffic;

    public BusView whole() throws Exception {
        long started = System.nanoTime();
        return connection.run(
                (admin, reader, catalog) -> {
                    List<SubscriberStatus> subscribers =
                            BusOverview.of(admin, reader, catalog.current());
                    String topic = BusTopics.CUSTOMER_EVENTS;
                    List<TopicPartition> partitions =
                            admin
                                    .describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get()
                                    .get(topic)
                                    .partitions()
                                    .stream()
                                    .map(p -> new TopicPartition(topic, p.partition()))
                                    .toList();
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    Config config =
                            admin.describeConfigs(List.of(resource)).all().get().get(resource);
                    long records =
                            sum(admin, partitions, OffsetSpec.latest())
                                    - sum(admin, partitions, OffsetSpec.earliest());
                    Map<String, double[]> series = traffic.series();
                    int lagging = (int) subscribers.stream().filter(s -> s.lag() > 0).count();
                    return new BusView(
                            new BusView.Bus(
                                    topic,
                                    partitions.size(),
                                    Long.parseLong(
                                            config.get(TopicConfig.RETENTION_MS_CONFIG).value()),
                                    records,
                                    lastMinute(series),
                                    BusTraffic.BUCKET_SECONDS,
                                    series),
                            subscribers,
                            new BusView.Refresh(
                                    (System.nanoTime() - started) / 1_000_000,
                                    FIXED_REQUESTS + lagging));
                });
    }

    private static long sum(
            org.apache.kafka.clients.admin.Admin admin,
            List<TopicPartition> partitions,
            OffsetSpec spec)
            throws Exception {
        return admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
                .all()
                .get()
                .values()
                .stream()
                .mapToLong(o -> o.offset())
                .sum();
    }

    /** The mean of the last six buckets: events per second over the last minute. */
    private static Map<String, Double> lastMinute(Map<String, double[]> series) {
        int per = 60 / BusTraffic.BUCKET_SECONDS;
        Map<String, Double> rates = new TreeMap<>();
        series.forEach(
                (type, buckets) ->
                        rates.put(
                                type,
                                Arrays.stream(buckets, buckets.length - per, buckets.length).sum()
                                        / per));
        return rates;
    }
}
