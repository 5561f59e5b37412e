package io.customerbus.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Creates topics that do not exist and brings the configs of existing ones to what is asked, so
 * running it twice is harmless. Partition counts are never changed: that would move keys, and with
 * them the per-customer order, to other partitions.
 */
@Command(
        name = "ensure",
        mixinStandardHelpOptions = true,
        description = "Create the topics if missing; set their configs either way.")
public class EnsureTopicsCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Option(
            names = "--partitions",
            defaultValue = "6",
            description = "For new topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--replication-factor",
            description = "For new topics (default: the cluster's default.replication.factor).")
    Short replicationFactor;

    @Option(names = "--config", description = "Topic config, e.g. retention.ms=-1 (repeatable).")
    Map<String, String> configs = Map.of();

    @Parameters(arity = "1..*", paramLabel = "TOPIC")
    List<String> topics;

    @Override
    public Integer call() throws InterruptedException {
        try (Admin admin = broker.admin()) {
            for (String topic : topics) {
                ensure(admin, topic);
            }
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            return BrokerFailures.report("ensure topics", e.getCause());
        } catch (KafkaException e) {
            return BrokerFailures.report("ensure topics", e);
        }
    }

    private void ensure(Admin admin, String topic) throws ExecutionException, InterruptedException {
        NewTopic wanted =
                new NewTopic(topic, Optional.of(partitions), Optional.ofNullable(replicationFactor))
                        .configs(configs);
        try {
            admin.createTopics(List.of(wanted)).all().get();
            awaitServed(admin, topic);
            System.out.printf("created %s (%d partitions) %s%n", topic, partitions, configs);
            return;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        setConfigs(admin, topic);
        TopicDescription existing =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        int actual = existing.partitions().size();
        String note = actual == partitions ? "" : " (asked for " + partitions + ", left unchanged)";
        System.out.printf("exists  %s (%d partitions%s) %s%n", topic, actual, note, configs);
    }

    /**
     * Returns once the broker serves the new topic, its configs and a leader for each partition.
     * The controller has created it when createTopics answers, but a broker takes it up a moment
     * later, and until then whoever asks next — the script's next step, a test — is told that it
     * does not exist.
     */
    private static void awaitServed(Admin admin, String topic)
            throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.describeConfigs(List.of(resource)).all().get();
                TopicDescription served =
                        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (served.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ExecutionException(
                        new TimeoutException("the broker does not serve " + topic + " after 30 s"));
            }
            Thread.sleep(100);
        }
    }

    private void setConfigs(Admin admin, String topic)
            throws ExecutionException, InterruptedException {
        if (configs.isEmpty()) {
            return;
        }
        Collection<AlterConfigOp> ops = new ArrayList<>();
        configs.forEach(
                (key, value) ->
                        ops.add(
                                new AlterConfigOp(
                                        new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    }
}
