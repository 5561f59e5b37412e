package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User story 1 under failure: a purchase that got a 201 reaches the bus — with the service killed
 * before it could publish, and with two replicas (one of them killed half-way) — and one customer's
 * events stay in commit order. A broker outage under load is OutageIT's.
 */
class PurchaseDeliveryIT {

    private static final String PURCHASES = "/api/purchases/v1/purchases";
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"");

    private LocalKafka kafka;
    private Tokens tokens;
    private final List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void startBrokerAndDatabase() throws Exception {
        PurchaseDatabase.recreate();
        kafka = new LocalKafka();
        tokens = new Tokens();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void pendingEventsOfAKilledServiceArePublishedAfterRestart() throws Exception {
        ServiceProcess first = startService();
        kafka.stop();
        List<UUID> accepted = buy(first, "crash-user", 20);

        first.kill();
        kafka.start();
        assertThat(PurchaseDatabase.pendingOutboxRows()).isEqualTo(20);
        startService();

        assertArriveInOrder(accepted);
        await("published rows deleted")
                .atMost(Duration.ofSeconds(30))
                .until(() -> PurchaseDatabase.pendingOutboxRows() == 0);
    }

    @Test
    void twoReplicasKeepEachCustomersOrderAcrossAFailover() throws Exception {
        ServiceProcess a = startService();
        ServiceProcess b = startService();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add("replica-user-" + i);
        }

        assertThat(outbox(a)).contains("\"kafka\": \"publishing\"", "\"slots\": 16");
        assertThat(outbox(b)).contains("\"kafka\": \"standby\"", "\"slots\": 0");

        List<UUID> firstHalf = buyConcurrently(users, 0, 50, a, b);
        a.kill();
        List<UUID> secondHalf = buyConcurrently(users, 50, 100, b, b);
        await("the survivor relays every slot")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(outbox(b))
                                        .contains("\"kafka\": \"publishing\"", "\"slots\": 16"));

        List<UUID> all = new ArrayList<>(firstHalf);
        all.addAll(secondHalf);
        assertArriveInOrder(all);
    }

    @Test
    void aRelayKilledInItsTransactionDoesNotHoldBackSubscribers() throws Exception {
        ServiceProcess killed = startService();
        assertArriveInOrder(buy(killed, "fenced-user", 1));
        Set<String> relays = PurchaseDatabase.slotRelays();
        assertThat(relays).as("one relay holds every slot").hasSize(1);
        killed.kill();
        // What a kill between the relay's sends and its commit leaves: its transaction open on
        // every partition, which no read_committed subscriber reads past until the broker aborts
        // it — here after five minutes, far beyond the wait below.
        String transactionalId = relays.iterator().next();
        leaveTransactionOpen(transactionalId, Duration.ofMinutes(5));
        assertThat(transactionState(transactionalId)).isEqualTo(TransactionState.ONGOING);

        List<UUID> afterTakeOver = buy(startService(), "fenced-user", 1);

        List<CustomerEvent> onBus =
                BusReader.readUntil(
                        kafka.bootstrapServers(), afterTakeOver, Duration.ofSeconds(60));
        assertThat(onBus).extracting(CustomerEvent::eventId).containsAll(afterTakeOver);
        assertThat(transactionState(transactionalId))
                .isIn(TransactionState.COMPLETE_ABORT, TransactionState.EMPTY);
    }

    @Test
    void aRelayWhoseDatabaseLinkWentSilentConnectsAgain() throws Exception {
        try (CuttableLink link = new CuttableLink(PurchaseDatabase.port())) {
            ServiceProcess service = startService(Map.of("PGPORT", Integer.toString(link.port())));
            kafka.stop();
            List<UUID> accepted = buy(service, "silent-link-user", 5);
            // The relay waits for the broker; meanwhile the network to the database fails without
            // a word, and comes back: the server has ended the old sessions, and the relay's side
            // of its connection hears nothing, ever.
            link.silence();
            // A purchase asked for meanwhile is answered, not held: its statement gives the silent
            // link up after 10 s, and the client is told to retry later.
            HttpResponse<String> unanswered =
                    service.post(PURCHASES, tokens.customer("silent-link-user"), purchase(99));
            assertThat(unanswered.statusCode()).as(unanswered.body()).isEqualTo(503);
            assertThat(unanswered.headers().firstValue("Retry-After")).isPresent();
            kafka.start();
            link.restore();

            // The connections the service answers purchases with were cut off alike: they are
            // given up on and replaced, and purchases are taken again.
            List<UUID> taken = new ArrayList<>(accepted);
            await("a purchase taken after the link came back")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> taken.add(buyOne(service, "silent-link-user", 5)));
            assertArriveInOrder(taken);
        }
    }

    @Test
    void aReplicaThatCannotPublishHandsItsSlotsToOneThatCan() throws Exception {
        // The first replica up claims every slot; its producer cannot deliver (a topic the broker
        // does not have, as a replica cut off from the broker alone would fail) while the second,
        // which holds no slot, could.
        ServiceProcess cutOff = startService(Map.of("BUS_OUTBOX_TOPIC", "no-such-topic"));
        ServiceProcess healthy = startService();
        List<UUID> accepted = new ArrayList<>(buy(cutOff, "handover-a", 10));
        accepted.addAll(buy(healthy, "handover-b", 10));

        assertArriveInOrder(accepted);
        await("published rows deleted")
                .atMost(Duration.ofSeconds(30))
                .until(() -> PurchaseDatabase.pendingOutboxRows() == 0);
    }

    /** Sends to every partition of the bus in a transaction, then stops without ending it. */
    private void leaveTransactionOpen(String transactionalId, Duration timeout) throws Exception {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        (int) timeout.toMillis());
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        producer.beginTransaction();
        for (var partition : producer.partitionsFor(BusTopics.CUSTOMER_EVENTS)) {
            producer.send(
                    new ProducerRecord<>(
                            BusTopics.CUSTOMER_EVENTS,
                            partition.partition(),
                            "fenced-user",
                            "never committed"));
        }
        producer.flush();
        // Closing at once, unlike a graceful close, does not abort the transaction: as a kill.
        producer.close(Duration.ZERO);
    }

    private TransactionState transactionState(String transactionalId) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            return admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId)
                    .get()
                    .state();
        }
    }

    /** The readiness check's report of the replica's outbox relay. */
    private static String outbox(ServiceProcess replica) throws Exception {
        String ready = replica.get("/q/health/ready").body();
        return ready.substring(ready.indexOf("customer-event outbox"));
    }

    private ServiceProcess startService() throws Exception {
        return startService(Map.of());
    }

    private ServiceProcess startService(Map<String, String> more) throws Exception {
        Map<String, String> env =
                new java.util.HashMap<>(
                        Map.of(
                                "PURCHASES_DB",
                                PurchaseDatabase.NAME,
                                "KAFKA_BOOTSTRAP_SERVERS",
                                kafka.bootstrapServers(),
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                tokens.publicKeyFile().toString(),
                                "DB_POOL_SIZE",
                                "10"));
        env.putAll(more);
        ServiceProcess service = new ServiceProcess("purchase-service", env).start();
        services.add(service);
        return service;
    }

    /** Purchases one after another: their commit order is the order of the returned ids. */
    private List<UUID> buy(ServiceProcess service, String user, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(buyOne(service, user, i));
        }
        return ids;
    }

    /** Each customer buys sequentially, alternating replicas; customers run in parallel. */
    private List<UUID> buyConcurrently(
            List<String> users, int from, int to, ServiceProcess even, ServiceProcess odd)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (String user : users) {
                results.add(
                        pool.submit(
                                () -> {
                                    List<UUID> ids = new ArrayList<>();
                                    for (int i = from; i < to; i++) {
                                        ids.add(buyOne(i % 2 == 0 ? even : odd, user, i));
                                    }
                                    return ids;
                                }));
            }
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> result : results) {
                all.addAll(result.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private UUID buyOne(ServiceProcess service, String user, int sequence) throws Exception {
        HttpResponse<String> response =
                service.post(PURCHASES, tokens.customer(user), purchase(sequence));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher matcher = EVENT_ID.matcher(response.body());
        assertThat(matcher.find()).isTrue();
        return UUID.fromString(matcher.group(1));
    }

    private static String purchase(int sequence) {
        return "{\"productId\":\"seq-%06d\",\"quantity\":1,\"unitPrice\":9.99,\"currency\":\"EUR\"}"
                .formatted(sequence);
    }

    /**
     * Every accepted event is on the bus, and each customer's events appear (first occurrences; the
     * relay may publish a record twice after a crash) in the order they were committed.
     */
    private void assertArriveInOrder(List<UUID> accepted) {
        List<CustomerEvent> onBus =
                BusReader.readUntil(kafka.bootstrapServers(), accepted, Duration.ofSeconds(90));
        Map<UUID, CustomerEvent> firstSeen = new LinkedHashMap<>();
        onBus.forEach(event -> firstSeen.putIfAbsent(event.eventId(), event));
        assertThat(firstSeen.keySet()).containsAll(accepted);

        Map<String, List<String>> sequenceByUser = new LinkedHashMap<>();
        for (CustomerEvent event : firstSeen.values()) {
            sequenceByUser
                    .computeIfAbsent(event.userId(), u -> new ArrayList<>())
                    .add(event.productId());
        }
        sequenceByUser.forEach(
                (user, sequence) -> {
                    List<String> sorted = new ArrayList<>(sequence);
                    Collections.sort(sorted);
                    assertThat(sequence)
                            .as("bus order of " + user)
                            .containsExactlyElementsOf(sorted);
                    assertThat(new LinkedHashSet<>(sequence))
                            .as("no missing purchase of " + user)
                            .hasSameSizeAs(sequence);
                });
    }
}
