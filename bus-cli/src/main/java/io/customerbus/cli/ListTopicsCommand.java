package io.customerbus.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the topics with what matters for the bus: partitions and retention. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List topics, partitions and retention.")
public class ListTopicsCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException {
        try (Admin admin = broker.admin()) {
            Map<String, TopicDescription> topics =
                    new TreeMap<>(
                            admin.describeTopics(admin.listTopics().names().get())
                                    .allTopicNames()
                                    .get());
            System.out.printf("%-45s %10s %14s%n", "TOPIC", "PARTITIONS", "RETENTION.MS");
            for (TopicDescription topic : topics.values()) {
                ConfigResource resource =
                        new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
                Config config =
                        admin.describeConfigs(java.util.List.of(resource))
                                .all()
                                .get()
                                .get(resource);
                System.out.printf(
                        "%-45s %10d %14s%n",
                        topic.name(),
                        topic.partitions().size(),
                        config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            }
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            return BrokerFailures.report("list topics", e.getCause());
        }
    }
}
