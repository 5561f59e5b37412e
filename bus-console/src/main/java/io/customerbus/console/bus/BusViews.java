package io.customerbus.console.bus;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.catalog.BusOverview;
import io.customerbus.runtime.catalog.SubscriberStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** Builds the console's view of the bus, with the same code as {@code bus subscribers}. */
@ApplicationScoped
public class BusViews {

    @Inject BusConnection connection;
    @Inject BusTraffic traffic;

    public BusView whole() throws Exception {
        long started = System.nanoTime();
        return connection.run(
                (admin, reader, catalog) -> {
                    Map<TopicPartition, Long> ends = BusOverview.busEnds(admin);
                    List<SubscriberStatus> subscribers =
                            BusOverview.of(admin, reader, catalog.current(), ends);
                    String topic = BusTopics.CUSTOMER_EVENTS;
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    Config config =
                            admin.describeConfigs(List.of(resource)).all().get().get(resource);
                    long records =
                            ends.values().stream().mapToLong(Long::longValue).sum()
                                    - firstOffsets(admin, ends.keySet());
                    Map<String, double[]> series = traffic.series();
                    return new BusView(
                            new BusView.Bus(
                                    topic,
                                    ends.size(),
                                    Long.parseLong(
                                            config.get(TopicConfig.RETENTION_MS_CONFIG).value()),
                                    records,
                                    lastMinute(series),
                                    BusTraffic.BUCKET_SECONDS,
                                    series),
                            subscribers,
                            new BusView.Refresh((System.nanoTime() - started) / 1_000_000));
                });
    }

    /** Where the partitions begin, summed: with their ends, how many records the bus holds. */
    private static long firstOffsets(Admin admin, Collection<TopicPartition> partitions)
            throws Exception {
        return admin
                .listOffsets(
                        partitions.stream()
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                .all()
                .get()
                .values()
                .stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
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
