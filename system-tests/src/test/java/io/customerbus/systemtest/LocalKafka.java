package io.customerbus.systemtest;

import io.customerbus.events.kafka.BusTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A broker of the test's own, from the same Apache Kafka jars ./platform runs, so a test can take
 * it away and bring it back (its data survives a restart) without disturbing other tests.
 */
final class LocalKafka implements AutoCloseable {

    private final Path home;
    private final int port;
    private final Path config;
    private Process broker;

    LocalKafka() throws IOException, InterruptedException {
        this.port = Ports.free();
        int controller = Ports.free();
        this.home = Files.createTempDirectory("systest-kafka-");
        String template =
                Files.readString(Platform.root().resolve("local/kafka/server.properties.template"));
        this.config = home.resolve("server.properties");
        Files.writeString(
                config,
                template.replace("@KAFKA_PORT@", Integer.toString(port))
                        .replace("@CONTROLLER_PORT@", Integer.toString(controller))
                        .replace("@DATA_DIR@", home.resolve("data").toString()));
        run(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        org.apache.kafka.common.Uuid.randomUuid().toString(),
                        "-c",
                        config.toString())
                .waitFor();
        start();
        try (Admin admin = admin()) {
            List<NewTopic> topics = new java.util.ArrayList<>();
            topics.add(
                    new NewTopic(BusTopics.CUSTOMER_EVENTS, 6, (short) 1)
                            .configs(Map.of("retention.ms", "-1")));
            Platform.declaredTopics().forEach(t -> topics.add(new NewTopic(t, 6, (short) 1)));
            topics.add(
                    new NewTopic(BusTopics.CUSTOMER_EVENTS + ".audit", 1, (short) 1)
                            .configs(Map.of("retention.ms", "-1")));
            topics.add(
                    new NewTopic(BusTopics.SUBSCRIBERS, 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")));
            admin.createTopics(topics).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not create the bus topics", e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException {
        broker = run("kafka.Kafka", config.toString());
        Platform.awaitPort(port, Duration.ofSeconds(60));
    }

    /** Takes the broker away the hard way, as an outage would. */
    void stop() throws InterruptedException {
        broker.destroyForcibly().waitFor();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private Process run(String mainClass, String... args) throws IOException {
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                "java",
                                "-Xmx384m",
                                "-cp",
                                Platform.root().resolve("local/kafka/target/lib/*").toString(),
                                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile()))
                .start();
    }

    @Override
    public void close() throws InterruptedException {
        if (broker != null) {
            stop();
        }
    }
}
