package io.customerbus.systemtest;

import io.customerbus.events.kafka.BusTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A broker of the test's own — or a cluster of three — from the same Apache Kafka jars and settings
 * ./platform runs, so a test can take brokers away and bring them back (their data survives a
 * restart) without disturbing other tests.
 */
final class LocalKafka implements AutoCloseable {

    /**
     * The broker's own SCRAM user on a secured broker: a super user, for the test's set-up only.
     */
    static final String SUPER_USER = "kafka-broker";

    /** Topics are replicated as the cluster's default says: once on one broker, 3 times on 3. */
    private static final Optional<Short> CLUSTER_DEFAULT = Optional.empty();

    private final Path home;
    private final List<Node> nodes = new ArrayList<>();
    private final boolean secured;
    private final String superPassword;

    /** One broker-and-controller of the cluster: its client port, its settings, its process. */
    private static final class Node {
        final int id;
        final int port;
        final Path config;
        Process process;

        Node(int id, int port, Path config) {
            this.id = id;
            this.port = port;
            this.config = config;
        }
    }

    LocalKafka() throws IOException, InterruptedException {
        this(false, 1);
    }

    /**
     * A KRaft cluster of three nodes on loopback, as './platform up --brokers 3' runs it: topics on
     * three replicas, a write needs two.
     */
    static LocalKafka cluster() throws IOException, InterruptedException {
        return new LocalKafka(false, 3);
    }

    /**
     * A secured broker as './platform up --secure' runs it: TLS with a CA made for it, SCRAM users
     * with the ACLs of k8s/'s KafkaUser manifests ('bus users sync'), nothing allowed without one.
     */
    static LocalKafka secured() throws IOException, InterruptedException {
        return new LocalKafka(true, 1);
    }

    private LocalKafka(boolean secured, int brokers) throws IOException, InterruptedException {
        this.secured = secured;
        this.home = Files.createTempDirectory("systest-kafka-");
        String settings =
                Files.readString(Platform.root().resolve("local/kafka/server.properties.template"));
        List<String> format =
                new ArrayList<>(
                        List.of(
                                "format",
                                "-t",
                                org.apache.kafka.common.Uuid.randomUuid().toString()));
        if (secured) {
            Path tls = home.resolve("tls");
            Process material =
                    new ProcessBuilder(
                                    "bash",
                                    Platform.root()
                                            .resolve("local/kafka/tls-material.sh")
                                            .toString(),
                                    tls.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(home.resolve("tls.log").toFile())
                            .start();
            if (material.waitFor() != 0) {
                throw new IllegalStateException("no TLS material; see " + home.resolve("tls.log"));
            }
            superPassword = UUID.randomUUID().toString();
            settings +=
                    Files.readString(
                                    Platform.root()
                                            .resolve("local/kafka/secure.properties.template"))
                            .replace("@TLS_DIR@", tls.toString())
                            .replace("@STORE_PASSWORD@", storePassword())
                            .replace("@BROKER_PASSWORD@", superPassword);
            format.addAll(
                    List.of(
                            "-S",
                            "SCRAM-SHA-512=[name="
                                    + SUPER_USER
                                    + ",password="
                                    + superPassword
                                    + "]"));
        } else {
            superPassword = null;
        }
        int[] ports = new int[brokers];
        int[] controllers = new int[brokers];
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < brokers; i++) {
            ports[i] = Ports.free();
            controllers[i] = Ports.free();
            voters.append(i == 0 ? "" : ",")
                    .append(i + 1)
                    .append("@127.0.0.1:")
                    .append(controllers[i]);
        }
        String cluster =
                brokers == 1
                        ? ""
                        : Files.readString(
                                        Platform.root()
                                                .resolve("local/kafka/cluster.properties.template"))
                                .replace("@VOTERS@", voters)
                                .replace("@REPLICATION@", Integer.toString(Math.min(3, brokers)))
                                .replace("@MIN_ISR@", brokers < 3 ? "1" : "2");
        for (int i = 0; i < brokers; i++) {
            Path dir = home.resolve("node-" + (i + 1));
            Files.createDirectories(dir);
            Node node = new Node(i + 1, ports[i], dir.resolve("server.properties"));
            Files.writeString(
                    node.config,
                    (settings + cluster.replace("@NODE_ID@", Integer.toString(node.id)))
                            .replace("@KAFKA_PORT@", Integer.toString(node.port))
                            .replace("@CONTROLLER_PORT@", Integer.toString(controllers[i]))
                            .replace("@DATA_DIR@", dir.resolve("data").toString()));
            List<String> formatNode = new ArrayList<>(format);
            formatNode.addAll(List.of("-c", node.config.toString()));
            run(node, "kafka.tools.StorageTool", formatNode.toArray(String[]::new)).waitFor();
            nodes.add(node);
        }
        start();
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(
                    new NewTopic(BusTopics.CUSTOMER_EVENTS, Optional.of(6), CLUSTER_DEFAULT)
                            .configs(Map.of("retention.ms", "-1")));
            Platform.declaredTopics()
                    .forEach(t -> topics.add(new NewTopic(t, Optional.of(6), CLUSTER_DEFAULT)));
            topics.add(
                    new NewTopic(
                                    BusTopics.CUSTOMER_EVENTS + ".audit",
                                    Optional.of(1),
                                    CLUSTER_DEFAULT)
                            .configs(Map.of("retention.ms", "-1")));
            topics.add(
                    new NewTopic(BusTopics.SUBSCRIBERS, Optional.of(1), CLUSTER_DEFAULT)
                            .configs(Map.of("cleanup.policy", "compact")));
            admin.createTopics(topics).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not create the bus topics", e);
        }
        if (secured) {
            syncUsers(Platform.root());
        }
    }

    /**
     * One SCRAM user per KafkaUser manifest of a checkout (or of the files given), with its ACLs,
     * and the users made before for manifests no longer given removed, as './platform up' does.
     */
    void syncUsers(Path... sources) throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "users",
                                "sync",
                                "--prune",
                                "--passwords",
                                home.resolve("users").toString()));
        for (Path source : sources) {
            args.add(source.toString());
        }
        BusCli.Result synced =
                new BusCli(bootstrapServers(), clientEnv(SUPER_USER))
                        .run(args.toArray(String[]::new));
        if (synced.exitCode() != 0) {
            throw new IllegalStateException("users sync failed: " + synced.output());
        }
    }

    /** A user's client settings on a secured broker: SCRAM-SHA-512 over TLS, its own password. */
    Map<String, Object> clientSettings(String user) throws IOException {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (secured) {
            clientEnv(user)
                    .forEach(
                            (variable, value) ->
                                    settings.put(
                                            variable.substring("KAFKA_".length())
                                                    .toLowerCase(Locale.ROOT)
                                                    .replace('_', '.'),
                                            value));
        }
        return settings;
    }

    /**
     * The same as environment variables, as services and bus-cli read them (KAFKA_SASL_JAAS_CONFIG,
     * ...); empty on a plain broker.
     */
    Map<String, String> clientEnv(String user) throws IOException {
        if (!secured) {
            return Map.of();
        }
        return Map.of(
                "KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "KAFKA_SASL_MECHANISM",
                "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"%s\" password=\"%s\";".formatted(user, password(user)),
                "KAFKA_SSL_TRUSTSTORE_LOCATION",
                home.resolve("tls/truststore.p12").toString(),
                "KAFKA_SSL_TRUSTSTORE_TYPE",
                "PKCS12",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD",
                storePassword());
    }

    private String password(String user) throws IOException {
        return user.equals(SUPER_USER)
                ? superPassword
                : Files.readString(home.resolve("users").resolve(user + ".password")).strip();
    }

    private String storePassword() throws IOException {
        return Files.readString(home.resolve("tls/store.password")).strip();
    }

    String bootstrapServers() {
        return nodes.stream()
                .map(node -> "127.0.0.1:" + node.port)
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** Starts every node that is not running; returns once each listens. */
    void start() throws IOException {
        for (Node node : nodes) {
            if (node.process == null || !node.process.isAlive()) {
                node.process = run(node, "kafka.Kafka", node.config.toString());
            }
        }
        for (Node node : nodes) {
            Platform.awaitPort(node.port, Duration.ofSeconds(60));
        }
    }

    /** Takes every broker away the hard way, as an outage would. */
    void stop() throws InterruptedException {
        for (Node node : nodes) {
            kill(node.id);
        }
    }

    /** SIGKILL of one node (ids from 1): nothing flushed, no leadership handed over. */
    void kill(int id) throws InterruptedException {
        Node node = nodes.get(id - 1);
        if (node.process != null) {
            node.process.destroyForcibly().waitFor();
        }
    }

    /** The node leading most partitions of a topic: the one whose loss hurts most. */
    int leaderOfMostPartitions(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .stream()
                    .collect(
                            java.util.stream.Collectors.groupingBy(
                                    p -> p.leader().id(), java.util.stream.Collectors.counting()))
                    .entrySet()
                    .stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
        }
    }

    /** An admin client; on a secured broker, the super user's. */
    Admin admin() {
        try {
            return Admin.create(clientSettings(SUPER_USER));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process run(Node node, String mainClass, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(
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
                        ProcessBuilder.Redirect.appendTo(
                                node.config.resolveSibling("broker.log").toFile()))
                .start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
