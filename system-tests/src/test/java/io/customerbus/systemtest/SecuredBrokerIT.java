package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.kafka.BusTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker that enforces the ACLs of k8s/'s KafkaUser manifests: each client connects as its own
 * SCRAM user over TLS, and every refusal here is the broker's own. Each refusal has its allowed
 * twin, so a broker that refused everything would fail too.
 */
class SecuredBrokerIT {

    private static final String EMAIL = "email-subscriber";
    private static final String CRM = "crm-subscriber";
    private static final String ANALYTICS = "analytics-subscriber";
    private static final String PURCHASES = "purchase-service";
    private static final String GATEWAY = "event-gateway";
    private static final String OPERATOR = "bus-cli";
    private static final String RETIRED = "retired-subscriber";

    private static LocalKafka kafka;

    @BeforeAll
    static void securedBroker() throws Exception {
        kafka = LocalKafka.secured();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordIsRefused() throws Exception {
        assertThatThrownBy(() -> topics(as(EMAIL, "guessed")))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                .hasStackTraceContaining("invalid credentials");

        assertThatThrownBy(() -> topics(as("mallory", "mallory")))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);

        // No credentials at all: the listener speaks only SASL over TLS, a plain client gets
        // nowhere.
        Map<String, Object> plain = new HashMap<>();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        assertThatThrownBy(() -> topics(plain)).isInstanceOf(ExecutionException.class);

        assertThat(topics(kafka.clientSettings(EMAIL))).contains(BusTopics.CUSTOMER_EVENTS);
    }

    @Test
    void theToolSaysAtOnceThatTheBrokerRefusesItsPasswordInsteadOfWaitingForIt() throws Exception {
        Map<String, String> env = new HashMap<>(kafka.clientEnv(OPERATOR));
        env.put(
                "KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"%s\" password=\"guessed\";".formatted(OPERATOR));

        // Waiting longer than the run is let take (60 s), it would be reported as hung.
        BusCli.Result ready =
                new BusCli(kafka.bootstrapServers(), env).run("ready", "--timeout", "PT90S");

        assertThat(ready.exitCode()).as(ready.output()).isEqualTo(1);
        assertThat(ready.output()).contains("the broker refused the credentials");
    }

    @Test
    void aSubscriberReadsOnlyWithItsOwnGroupAndWritesOnlyItsOwnDeadLetterTopic() throws Exception {
        assertThatThrownBy(() -> send(EMAIL, BusTopics.CUSTOMER_EVENTS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(EMAIL, BusTopics.deadLetter("crm")))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        send(EMAIL, BusTopics.deadLetter("email"));

        assertThatThrownBy(() -> join(EMAIL, CRM)).isInstanceOf(GroupAuthorizationException.class);
        assertThat(join(EMAIL, EMAIL)).as("partitions assigned to its own group").isNotEmpty();
    }

    @Test
    void aSecondSyncKeepsWhatIsDeclaredAndRemovesWhatIsNot() throws Exception {
        // An ACL nobody declared: the email subscriber may write the bus.
        AclBinding stale =
                new AclBinding(
                        new ResourcePattern(
                                ResourceType.TOPIC, BusTopics.CUSTOMER_EVENTS, PatternType.LITERAL),
                        new AccessControlEntry(
                                "User:" + EMAIL, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Admin admin = kafka.admin()) {
            admin.createAcls(List.of(stale)).all().get();
        }
        await("the stale ACL in force")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(() -> send(EMAIL, BusTopics.CUSTOMER_EVENTS));

        kafka.syncUsers(Platform.root());

        await("the stale ACL gone")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThatThrownBy(() -> send(EMAIL, BusTopics.CUSTOMER_EVENTS))
                                        .hasCauseInstanceOf(TopicAuthorizationException.class));
        send(EMAIL, BusTopics.deadLetter("email"));
        assertThat(join(EMAIL, EMAIL)).as("its declared ACLs kept").isNotEmpty();
    }

    @Test
    void aUserWhoseManifestIsGoneIsRemovedWithItsAclsAtTheNextSync() throws Exception {
        Path manifest = Files.createTempFile("retired-subscriber-", ".yaml");
        Files.writeString(
                manifest,
                """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: %s
                spec:
                  authentication:
                    type: scram-sha-512
                  authorization:
                    type: simple
                    acls:
                      - resource:
                          type: topic
                          name: %s
                          patternType: literal
                        operations:
                          - Describe
                """
                        .formatted(RETIRED, BusTopics.CUSTOMER_EVENTS));
        kafka.syncUsers(Platform.root(), manifest);
        Files.delete(manifest);
        Map<String, Object> retired = kafka.clientSettings(RETIRED);
        // Users and ACLs reach the broker a moment after the admin call returns.
        await("signed in, it sees the bus")
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> topics(new HashMap<>(retired)).contains(BusTopics.CUSTOMER_EVENTS));

        // The subscriber is removed from the checkout: the next sync (as at './platform up').
        kafka.syncUsers(Platform.root());

        await("its old password refused, its ACLs gone")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            assertThatThrownBy(() -> topics(new HashMap<>(retired)))
                                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
                            try (Admin admin = kafka.admin()) {
                                assertThat(
                                                admin.describeAcls(
                                                                new AclBindingFilter(
                                                                        ResourcePatternFilter.ANY,
                                                                        new AccessControlEntryFilter(
                                                                                "User:" + RETIRED,
                                                                                null,
                                                                                AclOperation.ANY,
                                                                                AclPermissionType
                                                                                        .ANY)))
                                                        .values()
                                                        .get())
                                        .isEmpty();
                            }
                        });
        send(EMAIL, BusTopics.deadLetter("email")); // the declared users are left as they were
    }

    @Test
    void purchaseServiceCannotReadTheCrmsDeadLettersButPublishesThroughItsOwnTransactions()
            throws Exception {
        assertThatThrownBy(() -> read(PURCHASES, BusTopics.deadLetter("crm")))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(commitInTransaction(PURCHASES, "purchase-service-outbox-1")).isTrue();
    }

    @Test
    void theGatewayCannotUseAnotherPublishersTransactionalId() throws Exception {
        assertThatThrownBy(() -> commitInTransaction(GATEWAY, "purchase-service-outbox-1"))
                .isInstanceOf(TransactionalIdAuthorizationException.class);
        assertThat(commitInTransaction(GATEWAY, "event-gateway-outbox-1")).isTrue();
    }

    @Test
    void onlyTheOperatorsToolRewindsAnotherGroupOrDeletesAndNobodyDeletesTheBus() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> rewind =
                Map.of(new TopicPartition(BusTopics.CUSTOMER_EVENTS, 0), new OffsetAndMetadata(0));
        try (Admin analytics = Admin.create(kafka.clientSettings(ANALYTICS))) {
            assertThatThrownBy(() -> analytics.alterConsumerGroupOffsets(CRM, rewind).all().get())
                    .hasCauseInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(
                            () ->
                                    analytics
                                            .deleteTopics(
                                                    List.of(BusTopics.deadLetter("analytics")))
                                            .all()
                                            .get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin operator = Admin.create(kafka.clientSettings(OPERATOR))) {
            operator.alterConsumerGroupOffsets(CRM, rewind).all().get();
            operator.deleteRecords(
                            Map.of(
                                    new TopicPartition(BusTopics.deadLetter("crm"), 0),
                                    RecordsToDelete.beforeOffset(0)))
                    .all()
                    .get();
            assertThatThrownBy(
                            () ->
                                    operator.deleteTopics(List.of(BusTopics.CUSTOMER_EVENTS))
                                            .all()
                                            .get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(topics(kafka.clientSettings(OPERATOR))).contains(BusTopics.CUSTOMER_EVENTS);
    }

    /** A client that says it is {@code user}, with a password of its choosing. */
    private static Map<String, Object> as(String user, String password) throws Exception {
        Map<String, Object> settings = kafka.clientSettings(EMAIL);
        settings.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"%s\" password=\"%s\";".formatted(user, password));
        return settings;
    }

    private static Set<String> topics(Map<String, Object> settings) throws Exception {
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(settings)) {
            return admin.listTopics().names().get();
        }
    }

    private static void send(String user, String topic) throws Exception {
        Map<String, Object> settings = kafka.clientSettings(user);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
    }

    /** Joins a group on the bus; what it was assigned. */
    private static Set<TopicPartition> join(String user, String group) throws Exception {
        Map<String, Object> settings = kafka.clientSettings(user);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(BusTopics.CUSTOMER_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            return consumer.assignment();
        }
    }

    private static void read(String user, String topic) throws Exception {
        Map<String, Object> settings = kafka.clientSettings(user);
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            consumer.poll(Duration.ofSeconds(5));
        }
    }

    /** A transaction with one record on the bus, as an outbox relay makes it. */
    private static boolean commitInTransaction(String user, String transactionalId)
            throws Exception {
        Map<String, Object> settings = kafka.clientSettings(user);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(BusTopics.CUSTOMER_EVENTS, "k", "{}")).get();
            producer.commitTransaction();
            return true;
        }
    }
}
