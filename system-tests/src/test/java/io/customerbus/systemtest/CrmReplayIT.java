package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User story 3: a second CRM started from the beginning while events still flow ends with exactly
 * the data of the CRM that was live all along; rewinding the live CRM changes nothing; a replay
 * from a point in time reprocesses exactly the records from that time on.
 */
class CrmReplayIT {

    private static final String CRM_A_DB = "crm_systest_a";
    private static final String CRM_B_DB = "crm_systest_b";
    private static final String CRM_A_GROUP = "crm-subscriber";
    private static final String CRM_B_GROUP = "crm-v2";
    private static final int CUSTOMERS = 30;
    private static final int ROUNDS = 40;
    private static final Pattern PURCHASE_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private LocalKafka kafka;
    private Tokens tokens;
    private BusCli cli;
    private KafkaProducer<String, byte[]> accountService;
    private final CustomerEventFactory accounts = new CustomerEventFactory("account-service");
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, AtomicInteger> published = new ConcurrentHashMap<>();

    @BeforeEach
    void startPlatform() throws Exception {
        PurchaseDatabase.recreate();
        PurchaseDatabase.recreate(CRM_A_DB);
        PurchaseDatabase.recreate(CRM_B_DB);
        kafka = new LocalKafka();
        tokens = new Tokens();
        cli = new BusCli(kafka.bootstrapServers());
        // A third publisher, written straight to the bus: accounts, product use and transfers.
        accountService =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    @AfterEach
    void stopPlatform() throws Exception {
        accountService.close();
        for (ServiceProcess service : services) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void aSecondCrmReplaysIntoExactlyTheSameDataAndRewindsChangeNothing() throws Exception {
        ServiceProcess purchases = startPurchaseService();
        ServiceProcess crmA = startCrm(CRM_A_GROUP, CRM_A_DB, "crm");

        // 1. CRM A is live while the first half of the load flows, and a record that breaks the
        // contract among it.
        load(purchases, crmA, 0, ROUNDS / 2);
        accountService
                .send(
                        new ProducerRecord<>(
                                BusTopics.CUSTOMER_EVENTS, user(0), "{not json".getBytes()))
                .get();
        // 2. CRM B starts from the beginning while the second half is still flowing.
        // (events flow during its start-up, and the last quarter only once it is running).
        CountDownLatch bStarted = new CountDownLatch(1);
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> secondHalf =
                background.submit(
                        () -> {
                            load(purchases, crmA, ROUNDS / 2, ROUNDS * 3 / 4);
                            bStarted.await();
                            return load(purchases, crmA, ROUNDS * 3 / 4, ROUNDS);
                        });
        ServiceProcess crmB = startCrm(CRM_B_GROUP, CRM_B_DB, "crm-v2");
        bStarted.countDown();
        secondHalf.get();
        background.shutdown();
        int total = published.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).as("a mixed load of several thousand events").isGreaterThan(3000);

        // 3. Once both have caught up, every customer's profile and timeline are equal.
        awaitAllEvents(crmA);
        awaitCaughtUp(CRM_B_GROUP);
        Map<String, String> viewOfA = snapshot(crmA);
        assertThat(snapshot(crmB)).isEqualTo(viewOfA);
        // Each CRM dead-lettered the broken record once, into a DLQ of its own.
        for (String subscriber : List.of("crm", "crm-v2")) {
            BusCli.Result letters = cli.run("dlq", "list", "--subscriber", subscriber);
            assertThat(letters.output())
                    .as(letters.output())
                    .contains(BusTopics.deadLetter(subscriber) + ": 1 record(s)");
        }

        // 4. Rewinding A to the beginning (stop, replay, start) changes none of its data.
        crmA.close();
        BusCli.Result rewind = cli.run("replay", "--group", CRM_A_GROUP, "--to-earliest");
        assertThat(rewind.exitCode()).as(rewind.output()).isZero();
        assertThat(rewind.output()).contains("record(s) will be processed again");
        crmA.start();
        awaitCaughtUp(CRM_A_GROUP);
        await("A re-applied the whole history")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(crmA, "bus_events_applied_total", "") == total);
        assertThat(Observed.counter(crmA, "bus_events_replayed_total", ""))
                .as("every record flagged as a replay")
                .isEqualTo(total);
        assertThat(snapshot(crmA)).isEqualTo(viewOfA);
        assertThat(committedMetadata(CRM_A_GROUP))
                .as("the replay boundary is cleared once passed")
                .allMatch(String::isEmpty);

        // 5. A replay from a point in time reprocesses exactly the records from then on.
        Instant from = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
        await().until(() -> System.currentTimeMillis() >= from.toEpochMilli());
        int later = 0;
        for (int i = 0; i < CUSTOMERS; i += 2) {
            publishDirect(user(i), EventTypes.PRODUCT_USE, "prod-1", null);
            later++;
        }
        awaitAllEvents(crmA);
        Map<String, String> withLater = snapshot(crmA);
        crmA.close();
        BusCli.Result sinceThen =
                cli.run("replay", "--group", CRM_A_GROUP, "--to-datetime", from.toString());
        assertThat(sinceThen.exitCode()).as(sinceThen.output()).isZero();
        assertThat(sinceThen.output()).contains(later + " record(s) will be processed again");
        crmA.start();
        awaitCaughtUp(CRM_A_GROUP);
        int expected = later;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(crmA, "bus_events_applied_total", "") == expected);
        assertThat(Observed.counter(crmA, "bus_events_replayed_total", "")).isEqualTo(later);
        assertThat(snapshot(crmA)).isEqualTo(withLater);
        awaitAllEvents(crmB);
        assertThat(snapshot(crmB)).isEqualTo(withLater);
    }

    /** Rounds of every customer's activity, customers in parallel, through three publishers. */
    private Void load(ServiceProcess purchases, ServiceProcess crm, int fromRound, int toRound)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> customers = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                int customer = i;
                customers.add(
                        pool.submit(
                                () -> {
                                    for (int round = fromRound; round < toRound; round++) {
                                        activity(purchases, crm, customer, round);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> customer : customers) {
                customer.get();
            }
            return null;
        } finally {
            pool.shutdown();
        }
    }

    private void activity(ServiceProcess purchases, ServiceProcess crm, int customer, int round)
            throws Exception {
        String user = user(customer);
        String product = "prod-" + (round + customer) % 5;
        if (round == 0) {
            publishDirect(user, EventTypes.ACCOUNT_CREATED, null, Map.of("email", user + "@x.io"));
        }
        String body =
                "{\"productId\":\"%s\",\"quantity\":%d,\"unitPrice\":%d.%02d,\"currency\":\"%s\"}"
                        .formatted(
                                product,
                                1 + round % 3,
                                5 + customer,
                                round,
                                round % 2 == 0 ? "EUR" : "USD");
        HttpResponse<String> bought =
                purchases.post("/api/purchases/v1/purchases", tokens.customer(user), body);
        assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
        count(user);
        if (round % 4 == 3) {
            Matcher id = PURCHASE_ID.matcher(bought.body());
            assertThat(id.find()).isTrue();
            HttpResponse<String> refunded =
                    purchases.post(
                            "/api/purchases/v1/purchases/" + id.group(1) + "/refund",
                            tokens.customer(user),
                            "");
            assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(200);
            count(user);
        }
        if (round % 3 == 1) {
            HttpResponse<String> call =
                    crm.post(
                            "/api/crm/v1/customers/" + user + "/calls",
                            tokens.agent("agent-" + customer % 3),
                            "{\"channel\":\"phone\",\"summary\":\"round %d\"}".formatted(round));
            assertThat(call.statusCode()).as(call.body()).isEqualTo(201);
            count(user);
        }
        publishDirect(user, EventTypes.PRODUCT_USE, product, null);
        if (round % 5 == 4) {
            publishDirect(
                    user,
                    EventTypes.PRODUCT_TRANSFER,
                    product,
                    Map.of("toUserId", user((customer + 1) % CUSTOMERS)));
        }
    }

    private void publishDirect(String user, String type, String product, Map<String, Object> data)
            throws Exception {
        accountService
                .send(
                        BusRecordCodec.encode(
                                BusTopics.CUSTOMER_EVENTS,
                                accounts.create(type, user, product, data),
                                Optional.empty()))
                .get();
        count(user);
    }

    private void count(String user) {
        published.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
    }

    private static String user(int customer) {
        return "story-%02d".formatted(customer);
    }

    /** Every customer's profile and full timeline as the CRM's API returns them. */
    private Map<String, String> snapshot(ServiceProcess crm) throws Exception {
        Map<String, String> view = new TreeMap<>();
        String agent = tokens.agent("auditor");
        for (int i = 0; i < CUSTOMERS; i++) {
            String user = user(i);
            HttpResponse<String> profile = crm.get("/api/crm/v1/customers/" + user, agent);
            assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
            view.put(user + " profile", profile.body());
            HttpResponse<String> timeline =
                    crm.get("/api/crm/v1/customers/" + user + "/timeline?size=200", agent);
            assertThat(timeline.statusCode()).as(timeline.body()).isEqualTo(200);
            view.put(user + " timeline", timeline.body());
        }
        return view;
    }

    /** Each customer's event count in the CRM equals what the publishers acknowledged. */
    private void awaitAllEvents(ServiceProcess crm) {
        String agent = tokens.agent("auditor");
        await("all events in " + crm.baseUrl())
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            for (int i = 0; i < CUSTOMERS; i++) {
                                String user = user(i);
                                HttpResponse<String> profile =
                                        crm.get("/api/crm/v1/customers/" + user, agent);
                                assertThat(profile.body())
                                        .as(user)
                                        .contains(
                                                "\"eventCount\":"
                                                        + published.get(user).get()
                                                        + ",");
                            }
                        });
    }

    private void awaitCaughtUp(String group) {
        await(group + " lag 0")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> lag(group) == 0);
    }

    private long lag(String group) throws Exception {
        return Observed.lag(kafka, group, BusTopics.CUSTOMER_EVENTS);
    }

    private List<String> committedMetadata(String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .values()
                    .stream()
                    .map(OffsetAndMetadata::metadata)
                    .toList();
        }
    }

    private ServiceProcess startPurchaseService() throws Exception {
        return start(
                "purchase-service",
                Map.of(
                        "PURCHASES_DB",
                        PurchaseDatabase.NAME,
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                        tokens.publicKeyFile().toString(),
                        "DB_POOL_SIZE",
                        "8"));
    }

    private ServiceProcess startCrm(String group, String database, String subscriber)
            throws Exception {
        return start(
                "crm-subscriber",
                Map.of(
                        "CRM_SUBSCRIBER",
                        subscriber,
                        "CRM_GROUP",
                        group,
                        "CRM_DB",
                        database,
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                        tokens.publicKeyFile().toString(),
                        "DB_POOL_SIZE",
                        "6"));
    }

    private ServiceProcess start(String module, Map<String, String> env) throws Exception {
        ServiceProcess service = new ServiceProcess(module, env).start();
        services.add(service);
        return service;
    }
}
