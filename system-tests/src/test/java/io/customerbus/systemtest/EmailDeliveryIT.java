package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.systemtest.TraceViewer.Span;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The work-queue story: the email provider goes down, emails wait on the retry topic while the bus
 * goes on, and once it is back every email arrives exactly once; a rewind of the email group to the
 * beginning sends nothing.
 */
class EmailDeliveryIT {

    private static final String GROUP = "email-subscriber";
    private static final int CUSTOMERS = 5;
    private static final int PURCHASES_EACH = 3;
    // Short, so that the test can wait for its events to become history.
    private static final Duration MAX_AGE = Duration.ofSeconds(20);

    private LocalKafka kafka;
    private LocalSmtp smtp;
    private KafkaProducer<String, byte[]> shop;
    private final CustomerEventFactory events = new CustomerEventFactory("purchase-service");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<UUID, String> traces = new HashMap<>();

    @BeforeEach
    void startPlatform() throws Exception {
        kafka = new LocalKafka();
        smtp = new LocalSmtp();
        shop =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    @AfterEach
    void stopPlatform() throws Exception {
        shop.close();
        for (ServiceProcess service : services) {
            service.close();
        }
        smtp.close();
        kafka.close();
    }

    @Test
    void anSmtpOutageDelaysEmailsButLosesAndDuplicatesNoneAndARewindSendsNothing()
            throws Exception {
        ServiceProcess email = startEmailService("50", Map.of("EMAIL_MAX_AGE", MAX_AGE.toString()));
        smtp.stop();

        for (int round = 0; round < PURCHASES_EACH; round++) {
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                publishPurchase(customer);
            }
        }
        Instant published = Instant.now();
        int total = CUSTOMERS * PURCHASES_EACH;
        // Every email failed at least once and waits on the retry topic; the bus is not held up.
        await("retries scheduled")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(email, "email_retried_total", "") >= total);
        await("bus consumed during the outage")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Observed.lag(kafka, GROUP, BusTopics.CUSTOMER_EVENTS) == 0);
        assertThat(email.get("/q/health/ready").body()).contains("\"smtp\": \"degraded\"");

        smtp.start();
        await("every email delivered after the outage")
                .atMost(Duration.ofSeconds(90))
                .until(() -> Observed.counter(email, "email_sent_total", "") == total);
        await("retry topic drained")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Observed.lag(kafka, GROUP + "-retry", BusTopics.retry("email")) == 0);
        for (int customer = 0; customer < CUSTOMERS; customer++) {
            assertThat(smtp.subjects(address(customer)))
                    .as(address(customer))
                    .hasSize(PURCHASES_EACH);
        }
        assertThat(Observed.counter(email, "email_dead_lettered_total", "")).isZero();
        assertThat(email.get("/q/health/ready").body()).contains("\"smtp\": \"ok\"");

        // Rewind the group to the beginning: every record is a replay, nothing is sent again.
        email.close();
        BusCli.Result rewind =
                new BusCli(kafka.bootstrapServers())
                        .run("replay", "--group", GROUP, "--to-earliest");
        assertThat(rewind.exitCode()).as(rewind.output()).isZero();
        email.start();
        await("the rewound group caught up")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                Observed.counter(email, "email_skipped_total", "reason=\"replay\"")
                                        == total);
        assertThat(Observed.counter(email, "email_sent_total", "")).isZero();
        for (int customer = 0; customer < CUSTOMERS; customer++) {
            assertThat(smtp.subjects(address(customer))).hasSize(PURCHASES_EACH);
        }

        // A new email deployment (another group) reads the retry topic from its start. Its
        // records of the outage, their events now older than EMAIL_MAX_AGE, are history: skipped
        // as too old — not answered from the marks of emails sent, which last a week, after which
        // every one of them would be sent again.
        email.close();
        await("the events older than EMAIL_MAX_AGE")
                .atMost(MAX_AGE.plusSeconds(30))
                .until(() -> Instant.now().isAfter(published.plus(MAX_AGE)));
        String next = GROUP + "-next";
        ServiceProcess newDeployment =
                startEmailService(
                        "50", Map.of("EMAIL_MAX_AGE", MAX_AGE.toString(), "EMAIL_GROUP", next));
        await("the new group read the retry topic")
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(
                        () ->
                                Observed.lag(kafka, next + "-retry", BusTopics.retry("email")) == 0
                                        && Observed.counter(
                                                        newDeployment,
                                                        "email_skipped_total",
                                                        "reason=\"too-old\"")
                                                >= total);
        assertThat(Observed.counter(newDeployment, "email_skipped_total", "reason=\"too-old\""))
                .as("every waiting record of the outage, each event at least once")
                .isGreaterThanOrEqualTo(total);
        assertThat(
                        Observed.counter(
                                newDeployment, "email_skipped_total", "reason=\"already-sent\""))
                .isZero();
        assertThat(Observed.counter(newDeployment, "email_sent_total", "")).isZero();
    }

    @Test
    void emailsThatKeepFailingAreDeadLetteredAndAfterTheFixReDrivenToTheEmailSubscriberOnly()
            throws Exception {
        ServiceProcess email = startEmailService("2");
        smtp.stop();
        UUID first = publishPurchase(0);
        publishPurchase(1);
        Instant published = Instant.now();

        await("both dead-lettered after 2 attempts")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(email, "email_dead_lettered_total", "") == 2);
        BusCli cli = new BusCli(kafka.bootstrapServers());
        BusCli.Result list = cli.run("dlq", "list", "--subscriber", "email");
        assertThat(list.output()).contains(": 2 record(s)").contains("gave up after 2 attempts");
        BusCli.Result shown = cli.run("dlq", "show", "--subscriber", "email", first.toString());
        assertThat(shown.output())
                .contains("email-attempts: 2")
                .contains("email-last-error: ConnectException");
        await("DLQ depth reported")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Observed.counter(email, "email_dlq_depth", "") == 2);

        smtp.start(); // the fix
        long busEnd = Observed.endOffsets(kafka, BusTopics.CUSTOMER_EVENTS);
        Instant redriven = Instant.now();
        BusCli.Result redrive = cli.run("dlq", "redrive", "--subscriber", "email");
        assertThat(redrive.exitCode()).as(redrive.output()).isZero();
        await("re-driven emails delivered")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(email, "email_sent_total", "") == 2);
        // Their delay counts from the events' time, through the retries and the dead letter: what
        // the customers waited, not the re-driven copies' second.
        assertThat(Observed.counter(email, "email_event_to_accepted_seconds_max", ""))
                .isGreaterThanOrEqualTo(Duration.between(published, redriven).toSeconds());
        assertThat(smtp.subjects(address(0))).hasSize(1);
        assertThat(smtp.subjects(address(1))).hasSize(1);
        assertThat(Observed.endOffsets(kafka, BusTopics.CUSTOMER_EVENTS))
                .as("nothing re-driven onto the bus, which every subscriber reads")
                .isEqualTo(busEnd);
        // The re-driven record kept its trace: the failed sends and the one that went through
        // after the re-drive (read from the retry topic) are all in the trace the event started.
        List<Span> trace = new ArrayList<>();
        await("the re-driven delivery in the event's trace")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            trace.clear();
                            trace.addAll(TraceViewer.trace(traces.get(first)));
                            return trace.stream().anyMatch(s -> deliveredFromRetryTopic(trace, s));
                        });
        assertThat(trace)
                .as("the attempts that failed while the SMTP server was down")
                .anyMatch(s -> s.name().equals("smtp send") && s.tags().containsKey("error"));

        // Re-driving the same letters again sends nothing: the email was sent once per event.
        cli.run("dlq", "redrive", "--subscriber", "email");
        await("second re-drive handled")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                Observed.counter(
                                                email,
                                                "email_skipped_total",
                                                "reason=\"already-sent\"")
                                        == 2);
        assertThat(Observed.counter(email, "email_sent_total", "")).isEqualTo(2);
    }

    /**
     * An hour of a provider's outage leaves more dead letters than an operator's tool has memory:
     * the list still shows every one, and the re-drive sends every one, once, to the retry topic.
     * Here ~100 MB of letters, half as much again as the CLI's heap: a list or re-drive that held
     * the letters it read ran out of memory.
     */
    @Test
    void aDeadLetterQueueLargerThanTheToolsMemoryIsListedAndReDrivenWhole() throws Exception {
        String subscriber = "bulk" + run;
        int letters = 24_000;
        try (var admin = kafka.admin()) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(BusTopics.deadLetter(subscriber), 3, (short) 1),
                                    new NewTopic(BusTopics.retry(subscriber), 3, (short) 1)))
                    .all()
                    .get();
        }
        // Every hundredth event failed again after a re-drive: its newest copy goes, once.
        int againAfterARedrive = letters / 100;
        String failedAt = Instant.now().toString();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < letters; i++) {
            eventIds.add(UUID.randomUUID().toString());
            shop.send(letter(subscriber, i, eventIds.get(i), failedAt, 0));
        }
        Set<String> failedAgain = new HashSet<>();
        for (int i = 0; i < letters; i += 100) {
            failedAgain.add(eventIds.get(i));
            shop.send(letter(subscriber, i, eventIds.get(i), failedAt, 1));
        }
        shop.flush();
        int total = letters + againAfterARedrive;

        BusCli cli = new BusCli(kafka.bootstrapServers(), Map.of(), List.of("-Xmx64m"));
        BusCli.Result list = cli.run("dlq", "list", "--subscriber", subscriber);

        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output())
                .contains(": " + total + " record(s), oldest dead-lettered " + failedAt)
                .containsPattern(total + "\\s+the provider refused it: 451");
        assertThat(list.output().lines().filter(line -> line.matches("\\d+@\\d+ .*")))
                .as("a line per letter")
                .hasSize(total);

        BusCli.Result redrive = cli.run("dlq", "redrive", "--subscriber", subscriber);

        assertThat(redrive.exitCode()).as(redrive.output()).isZero();
        assertThat(redrive.output())
                .contains("re-drove " + letters + " record(s)")
                .contains("left out " + againAfterARedrive + " older copies");
        Set<String> redriven = new HashSet<>();
        try (KafkaConsumer<String, byte[]> reader =
                new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    reader.partitionsFor(BusTopics.retry(subscriber)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
                assertThat(Instant.now()).as("the retry topic read").isBefore(deadline);
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofSeconds(1))) {
                    String eventId = BusHeaders.text(record.headers(), BusHeaders.CE_ID);
                    assertThat(record.key()).startsWith("customer-");
                    assertThat(record.value()).hasSize(4_096);
                    assertThat(BusHeaders.text(record.headers(), "dlq-redrives"))
                            .isEqualTo(failedAgain.contains(eventId) ? "2" : "1");
                    assertThat(BusHeaders.text(record.headers(), "retry-attempt")).isEqualTo("0");
                    assertThat(BusHeaders.text(record.headers(), "retry-last-error"))
                            .isEqualTo("re-driven: the provider refused it: 451");
                    assertThat(redriven.add(eventId)).as("re-driven once").isTrue();
                }
            }
        }
        assertThat(redriven).hasSize(letters);
    }

    private static ProducerRecord<String, byte[]> letter(
            String subscriber, int i, String eventId, String failedAt, int redrives) {
        byte[] body = new byte[4_096];
        java.util.Arrays.fill(body, (byte) ('a' + i % 26));
        ProducerRecord<String, byte[]> letter =
                new ProducerRecord<>(
                        BusTopics.deadLetter(subscriber), "customer-" + (i % 50), body);
        letter.headers()
                .add(BusHeaders.CE_ID, bytes(eventId))
                .add(BusHeaders.CE_TYPE, bytes(EventTypes.PURCHASE))
                .add("dlq-reason", bytes("the provider refused it: 451"))
                .add("dlq-failed-at", bytes(failedAt))
                .add("dlq-redrives", bytes(Integer.toString(redrives)));
        return letter;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The network to Redis, which holds the emails' claims and marks, fails for two seconds, three
     * times, in the middle of a stream of purchases (every connection reset, new ones refused;
     * Redis keeps its data): emails the provider accepted while their marks could not be written
     * are marked once Redis answers again, not sent a second time, and every email goes out — once.
     * The claims' lease is short here, so that an email sent twice would show within the test.
     */
    @Test
    void redisOutOfReachWhileEmailsFlowSendsEveryEmailOnce() throws Exception {
        try (CuttableLink redis = new CuttableLink(6379)) {
            Map<String, String> env = env("50");
            env.put("REDIS_PORT", Integer.toString(redis.port()));
            env.put("EMAIL_IDEMPOTENCY_LEASE", "PT20S");
            ServiceProcess email = new ServiceProcess("email-subscriber", env).start();
            services.add(email);
            int customers = 10;
            int rounds = 50;
            ExecutorService shopper = Executors.newSingleThreadExecutor();
            try {
                // A stream of purchases, ~50 a second, so that the link fails with emails in hand.
                Future<?> purchases =
                        shopper.submit(
                                () -> {
                                    for (int round = 0; round < rounds; round++) {
                                        for (int customer = 0; customer < customers; customer++) {
                                            publishPurchase(customer);
                                            Thread.sleep(20);
                                        }
                                    }
                                    return null;
                                });
                // Three outages while emails flow: each has a fair chance of finding emails the
                // provider accepted and that are not marked yet.
                for (int outage = 1; outage <= 3; outage++) {
                    double before = Observed.counter(email, "email_sent_total", "");
                    await("emails flowing")
                            .atMost(Duration.ofSeconds(60))
                            .until(
                                    () ->
                                            Observed.counter(email, "email_sent_total", "")
                                                    >= before + 30);
                    redis.cut();
                    try {
                        Thread.sleep(Duration.ofSeconds(2).toMillis()); // the outage itself
                    } finally {
                        redis.restore();
                    }
                }
                purchases.get(60, TimeUnit.SECONDS);
            } finally {
                shopper.shutdownNow();
            }
            int total = customers * rounds;
            await("every email sent, the bus and the retry topic drained")
                    .atMost(Duration.ofSeconds(120))
                    .until(
                            () ->
                                    Observed.counter(email, "email_sent_total", "") >= total
                                            && Observed.lag(kafka, GROUP, BusTopics.CUSTOMER_EVENTS)
                                                    == 0
                                            && Observed.lag(
                                                            kafka,
                                                            GROUP + "-retry",
                                                            BusTopics.retry("email"))
                                                    == 0);
            for (int customer = 0; customer < customers; customer++) {
                assertThat(smtp.subjects(address(customer))).as(address(customer)).hasSize(rounds);
            }
            assertThat(Observed.counter(email, "email_sent_total", "")).isEqualTo(total);
            assertThat(Observed.counter(email, "email_dead_lettered_total", "")).isZero();
        }
    }

    @Test
    void twoReplicasSendEachEmailOnceAndAnUnreachableBrokerMakesThemUnready() throws Exception {
        ServiceProcess a = startEmailService();
        ServiceProcess b = startEmailService();
        assertThat(a.get("/q/health/ready").body())
                .contains("\"kafka\": \"reachable\"")
                .containsIgnoringCase("redis");

        for (int round = 0; round < PURCHASES_EACH; round++) {
            for (int customer = 0; customer < CUSTOMERS * 2; customer++) {
                publishPurchase(customer);
            }
        }
        int total = CUSTOMERS * 2 * PURCHASES_EACH;
        await("all sent by the two replicas together")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                Observed.counter(a, "email_sent_total", "")
                                                + Observed.counter(b, "email_sent_total", "")
                                        == total);
        for (int customer = 0; customer < CUSTOMERS * 2; customer++) {
            assertThat(smtp.subjects(address(customer))).hasSize(PURCHASES_EACH);
        }

        kafka.stop();
        await("not ready without a broker")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            HttpResponse<String> ready = a.get("/q/health/ready");
                            assertThat(ready.statusCode()).isEqualTo(503);
                            assertThat(ready.body()).contains("\"kafka\": \"unreachable\"");
                        });
    }

    private UUID publishPurchase(int customer) throws Exception {
        Map<String, Object> data = new HashMap<>();
        data.put("purchaseId", UUID.randomUUID().toString());
        data.put("quantity", 1);
        data.put("unitPrice", new BigDecimal("5.00"));
        data.put("totalPrice", new BigDecimal("5.00"));
        data.put("currency", "EUR");
        data.put("email", address(customer));
        CustomerEvent purchase = events.create(EventTypes.PURCHASE, user(customer), "book", data);
        TraceContext trace = TraceContext.newRoot();
        traces.put(purchase.eventId(), trace.traceId());
        shop.send(BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, purchase, Optional.of(trace)))
                .get();
        return purchase.eventId();
    }

    private String user(int customer) {
        return "mail-" + run + "-" + customer;
    }

    /** An SMTP send that went through, inside the processing of a record of the retry topic. */
    private static boolean deliveredFromRetryTopic(List<Span> trace, Span span) {
        return span.name().equals("smtp send")
                && !span.tags().containsKey("error")
                && trace.stream()
                        .anyMatch(
                                parent ->
                                        parent.id().equals(span.parentId())
                                                && parent.name()
                                                        .equals(
                                                                BusTopics.retry("email")
                                                                        + " process"));
    }

    @Test
    void aStopWhileAnEmailIsWithTheProviderWaitsForItsAnswerAndNeverSendsItAgain()
            throws Exception {
        try (CuttableLink provider = new CuttableLink(smtp.port())) {
            Map<String, String> env = env("50");
            env.put("SMTP_PORT", Integer.toString(provider.port()));
            env.put("EMAIL_SEND_TIMEOUT", "PT20S");
            ServiceProcess email = new ServiceProcess("email-subscriber", env).start();
            services.add(email);
            publishPurchase(0);
            await("a first email sent")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> smtp.subjects(address(0)).size() == 1);

            // The next email is claimed and handed to the provider, whose answer the link holds.
            provider.hold();
            UUID inFlight = publishPurchase(1);
            await("the email with the provider")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sentMark(inFlight) != null && provider.holding());
            assertThat(sentMark(inFlight)).as("claimed, not marked sent").isNotEqualTo("done");
            email.terminate();
            await("the subscriber stopping")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> email.log().contains("stopping: the batch in hand"));
            provider.release();

            assertThat(email.awaitExit(Duration.ofSeconds(40))).as("stopped").isTrue();
            assertThat(smtp.subjects(address(1))).hasSize(1);
            assertThat(sentMark(inFlight))
                    .as("the provider's answer awaited and recorded before the stop")
                    .isEqualTo("done");

            // Started again, it reads on from where it stopped and sends nothing twice.
            ServiceProcess again = new ServiceProcess("email-subscriber", env).start();
            services.add(again);
            publishPurchase(2);
            await("the next email sent, the bus read to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    smtp.subjects(address(2)).size() == 1
                                            && Observed.lag(kafka, GROUP, BusTopics.CUSTOMER_EVENTS)
                                                    == 0);
            assertThat(smtp.subjects(address(1))).hasSize(1);
        }
    }

    /** The email subscriber's idempotency key of an event, as Redis holds it (null: none). */
    private static String sentMark(UUID eventId) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(
                            ("GET email-sent:" + eventId + "\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader reply =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            String header = reply.readLine();
            return header.equals("$-1") ? null : reply.readLine();
        }
    }

    private String address(int customer) {
        return user(customer) + "@example.com";
    }

    private ServiceProcess startEmailService() throws Exception {
        return startEmailService("50");
    }

    private Map<String, String> env(String maxAttempts) {
        Map<String, String> env = new HashMap<>(TraceViewer.exporting());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SMTP_PORT", Integer.toString(smtp.port()));
        env.put("EMAIL_RETRY_INITIAL_BACKOFF", "PT1S");
        env.put("EMAIL_RETRY_MAX_BACKOFF", "PT3S");
        env.put("EMAIL_RETRY_MAX_ATTEMPTS", maxAttempts);
        env.put("EMAIL_SEND_TIMEOUT", "PT5S");
        return env;
    }

    private ServiceProcess startEmailService(String maxAttempts) throws Exception {
        return startEmailService(maxAttempts, Map.of());
    }

    private ServiceProcess startEmailService(String maxAttempts, Map<String, String> more)
            throws Exception {
        Map<String, String> env = env(maxAttempts);
        env.putAll(more);
        ServiceProcess service = new ServiceProcess("email-subscriber", env).start();
        services.add(service);
        return service;
    }
}
