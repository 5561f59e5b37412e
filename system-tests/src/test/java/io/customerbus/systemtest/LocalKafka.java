package io.customerbus.systemtest;

import io.customerbus.events.kafka.BusTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A broker of the test's own, from the same Apache Kafka jars ./platform runs, so a test can take
 * it away and bring it back (its data survives a restart) without disturbing other tests.
 */
final class LocalKafka implements AutoCloseable {

    /**
     * The broker's own SCRAM user on a secured broker: a super user, for the test's set-up only.
     */
    static final String SUPER_USER = "kafka-broker";

    private final Path home;
    private final int port;
    private final Path config;
    private final boolean secured;
    private final String superPassword;
    private Process broker;

    LocalKafka() throws IOException, InterruptedException {
        this(false);
    }

    /**
     * A secured broker as './platform up --secure' runs it: TLS with a CA made for it, SCRAM users
     * with the ACLs of k8s/'s KafkaUser manifests ('bus users sync'), nothing allowed without one.
     */
    static LocalKafka secured() throws IOException, InterruptedException {
        return new LocalKafka(true);
    }

    private LocalKafka(boolean secured) throws IOException, InterruptedException {
        this.secured = secured;
        this.port = Ports.free();
        int controller = Ports.free();
        this.home = Files.createTempDirectory("systest-kafka-");
        String settings =
                Files.readString(Platform.root().resolve("local/kafka/server.properties.template"));
        List<String> format =
                new java.util.ArrayList<>(
                        List.of(
                                "format",
                                "-t",
                                org.apache.kafka.common.Uuid.randomUuid().toString(),
                                "-c",
                                home.resolve("server.properties").toString()));
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
        this.config = home.resolve("server.properties");
        Files.writeString(
                config,
                settings.replace("@KAFKA_PORT@", Integer.toString(port))
                        .replace("@CONTROLLER_PORT@", Integer.toString(controller))
                        .replace("@DATA_DIR@", home.resolve("data").toString()));
        run("kafka.tools.StorageTool", format.toArray(String[]::new)).waitFor();
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
        if (secured) {
            syncUsers(Platform.root());
        }
    }

    /**
     * One SCRAM user per KafkaUser manifest of a checkout, with its ACLs, as './platform up' makes
     * them.
     */
    void syncUsers(Path root) throws IOException, InterruptedException {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of("users", "sync", "--passwords", home.resolve("users").toString()));
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(
                            f ->
                                    f.toString().endsWith(".yaml")
                                            && f.toString().contains("/k8s/")
                                            && !f.toString().contains("/target/")
                                            && !f.startsWith(root.resolve("local")))
                    .sorted()
                    .forEach(f -> args.add(f.toString()));
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

    /** An admin client; on a secured broker, the super user's. */
    Admin admin() {
        try {
            return Admin.create(clientSettings(SUPER_USER));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
