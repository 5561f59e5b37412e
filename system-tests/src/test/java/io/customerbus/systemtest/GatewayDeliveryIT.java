package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventJson;
import io.customerbus.events.kafka.BusTopics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing through the event gateway, as a system without a service of its own would: an accounts
 * system signs customers up in a batch (and retries it), a device reports product use; each event
 * reaches the CRM's timeline and the email subscriber's welcome mail exactly once — and what the
 * gateway accepted while Kafka was down arrives when it returns, and a client retrying through an
 * outage of the gateway's database loses nothing.
 */
class GatewayDeliveryIT {

    private static final String EVENTS = "/api/events/v1/events";
    private static final String GATEWAY_DB = "gateway_systest";
    private static final String CRM_DB = "crm_systest_gateway";
    private static final int CUSTOMERS = 6;

    private TestPlatform platform;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startPlatform() throws Exception {
        PurchaseDatabase.recreate(GATEWAY_DB);
        PurchaseDatabase.recreate(CRM_DB);
        platform = new TestPlatform();
    }

    @AfterEach
    void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void eventsPublishedThroughTheGatewayReachTheCrmAndTheEmailSubscriberExactlyOnce()
            throws Exception {
        ServiceProcess gateway = startGateway();
        ServiceProcess crm =
                platform.start(
                        "crm-subscriber", Map.of("CRM_DB", CRM_DB, "CRM_GROUP", "crm-" + run));
        ServiceProcess email =
                platform.start(
                        "email-subscriber",
                        Map.of(
                                "SMTP_PORT",
                                Integer.toString(platform.smtp().port()),
                                "EMAIL_GROUP",
                                "email-" + run));
        String accounts = platform.tokens().publisher("accounts", "account-created");
        String devices = platform.tokens().publisher("devices", "product-use");

        List<String> signUps = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            signUps.add(structured(signUp(user(i))));
        }
        String batch = "[" + String.join(",", signUps) + "]";
        HttpResponse<String> accepted = postBatch(gateway, accounts, batch);
        // The accounts system did not see the answer and sends the batch again.
        HttpResponse<String> retried = postBatch(gateway, accounts, batch);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(retried.body()).isEqualTo(accepted.body());
        for (int i = 0; i < CUSTOMERS; i++) {
            HttpResponse<String> used = gateway.post(EVENTS, devices, productUse(user(i)));
            assertThat(used.statusCode()).as(used.body()).isEqualTo(202);
            assertThat(used.body()).contains("\"source\":\"devices\"");
        }

        await("each customer welcomed")
                .atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                everyCustomerHas(
                                        i -> platform.smtp().subjects(address(i)).size() >= 1));
        await("the CRM and the email subscriber caught up with the bus")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                Observed.lag(
                                                        platform.kafka(),
                                                        "crm-" + run,
                                                        BusTopics.CUSTOMER_EVENTS)
                                                == 0
                                        && Observed.lag(
                                                        platform.kafka(),
                                                        "email-" + run,
                                                        BusTopics.CUSTOMER_EVENTS)
                                                == 0);
        String agent = platform.tokens().agent("auditor");
        for (int i = 0; i < CUSTOMERS; i++) {
            assertThat(platform.smtp().subjects(address(i)))
                    .as(address(i))
                    .containsExactly("Welcome to Customer Event Bus");
            HttpResponse<String> timeline =
                    crm.get("/api/crm/v1/customers/" + user(i) + "/timeline?size=50", agent);
            assertThat(timeline.statusCode()).as(timeline.body()).isEqualTo(200);
            List<String> entries = new ArrayList<>();
            CustomerEventJson.mapper()
                    .readTree(timeline.body())
                    .path("items")
                    .forEach(
                            entry ->
                                    entries.add(
                                            entry.path("eventType").asText()
                                                    + " from "
                                                    + entry.path("source").asText()));
            assertThat(entries)
                    .as(user(i) + "'s timeline in the CRM")
                    .containsExactlyInAnyOrder(
                            "account-created from accounts", "product-use from devices");
        }
        assertThat(Observed.counter(email, "email_sent_total", "")).isEqualTo(CUSTOMERS);
    }

    @Test
    void eventsAcceptedWhileKafkaIsDownArriveWhenItReturns() throws Exception {
        ServiceProcess gateway = startGateway();
        platform.kafka().stop();
        String accounts = platform.tokens().publisher("accounts", "account-created");

        List<UUID> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String event = signUp(user(i));
            HttpResponse<String> answer = gateway.post(EVENTS, accounts, event);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            accepted.add(idOf(event));
        }
        assertThat(PurchaseDatabase.pendingOutboxRows(GATEWAY_DB)).isEqualTo(10);

        platform.kafka().start();
        List<CustomerEvent> onBus =
                BusReader.readUntil(
                        platform.kafka().bootstrapServers(), accepted, Duration.ofSeconds(90));
        Map<UUID, Long> copies =
                onBus.stream()
                        .collect(
                                Collectors.groupingBy(
                                        CustomerEvent::eventId, Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(onBus).allMatch(event -> event.source().equals("accounts"));
    }

    /**
     * The gateway's PostgreSQL stopped the hard way while systems publish: the gateway answers 503
     * with Retry-After (nothing else), and a client that sends each refused event again, same id,
     * until it is accepted loses nothing — including events whose commit the outage cut off
     * mid-answer: each is on the bus. The outage may cost a second copy of an event the relay had
     * sent but not yet deleted (its delete refused, or lost with the server's last asynchronous
     * commits), as a crash does; subscribers apply an eventId once.
     */
    @Test
    void aDatabaseOutageIsA503AndAClientRetryingOnItLosesNothing() throws Exception {
        try (LocalPostgres postgres = new LocalPostgres()) {
            ServiceProcess gateway =
                    platform.startOn(postgres, "event-gateway", "GATEWAY_DB", GATEWAY_DB);
            try (RetryingPublisher accounts =
                    new RetryingPublisher(
                                    gateway,
                                    platform.tokens().publisher("accounts", "account-created"))
                            .start()) {
                accounts.awaitAccepted(50);

                postgres.stopImmediately();
                await("clients told the gateway is unavailable")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> accounts.unavailable() >= 4);
                postgres.start();
                int beforeRecovery = accounts.accepted().size();
                accounts.awaitAccepted(beforeRecovery + 100);
                accounts.stop();

                assertThat(accounts.otherAnswers()).as("answers other than 202 and 503").isEmpty();
                List<UUID> accepted = accounts.accepted();
                Map<UUID, Long> copies =
                        BusReader.readUntil(
                                        platform.kafka().bootstrapServers(),
                                        accepted,
                                        Duration.ofSeconds(90))
                                .stream()
                                .filter(event -> event.userId().startsWith(user(0)))
                                .collect(
                                        Collectors.groupingBy(
                                                CustomerEvent::eventId, Collectors.counting()));
                assertThat(copies.keySet())
                        .as("accepted events on the bus")
                        .containsExactlyInAnyOrderElementsOf(accepted);
                await("the outbox emptied by the same relay")
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        PurchaseDatabase.pendingOutboxRows(
                                                        postgres.port(), GATEWAY_DB)
                                                == 0);
                System.out.printf(
                        "gateway database outage: %d events accepted, all on the bus (%d sent"
                                + " again by the relay); %d answers of 503 retried%n",
                        accepted.size(),
                        copies.values().stream().mapToLong(n -> n - 1).sum(),
                        accounts.unavailable());
            }
        }
    }

    @Test
    void busGenerateThroughTheGatewayPublishesEveryTypeUnderThePublishersName() throws Exception {
        ServiceProcess gateway = startGateway();
        String generator =
                platform.tokens()
                        .publisher("load-generator", EventTypes.KNOWN.toArray(String[]::new));

        BusCli.Result generated =
                new BusCli(platform.kafka().bootstrapServers())
                        .run(
                                "generate",
                                "--count",
                                "300",
                                "--batch",
                                "120",
                                "--via-gateway",
                                gateway.baseUrl(),
                                "--token",
                                generator);

        assertThat(generated.exitCode()).as(generated.output()).isZero();
        assertThat(generated.output()).contains("published 300 events");
        List<CustomerEvent> onBus =
                BusReader.readCount(
                        platform.kafka().bootstrapServers(), 300, Duration.ofSeconds(60));
        assertThat(onBus).hasSize(300).allMatch(event -> event.source().equals("load-generator"));
        assertThat(onBus.stream().map(CustomerEvent::eventType).distinct())
                .containsExactlyInAnyOrderElementsOf(EventTypes.KNOWN);
        BusCli.Result forbidden =
                new BusCli(platform.kafka().bootstrapServers())
                        .run(
                                "generate",
                                "--count",
                                "10",
                                "--via-gateway",
                                gateway.baseUrl(),
                                "--token",
                                platform.tokens().publisher("accounts", "account-created"));
        assertThat(forbidden.exitCode()).isEqualTo(1);
        assertThat(forbidden.output()).contains("the gateway answered 403");
    }

    /**
     * A few publishing clients, each sending sign-ups one at a time and every refused one again
     * (same event, same id) until it is accepted, as the gateway's 503 asks them to.
     */
    private final class RetryingPublisher implements AutoCloseable {

        private static final int CLIENTS = 4;

        private final ServiceProcess gateway;
        private final String token;
        private final AtomicBoolean publishing = new AtomicBoolean();
        private final AtomicInteger unavailable = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final List<Future<?>> running = new ArrayList<>();
        private final List<UUID> accepted = new CopyOnWriteArrayList<>();
        private final List<String> otherAnswers = new CopyOnWriteArrayList<>();

        RetryingPublisher(ServiceProcess gateway, String token) {
            this.gateway = gateway;
            this.token = token;
        }

        RetryingPublisher start() {
            publishing.set(true);
            for (int client = 0; client < CLIENTS; client++) {
                String customer = user(0) + "-" + client;
                running.add(
                        clients.submit(
                                () -> {
                                    while (publishing.get()) {
                                        publishUntilAccepted(signUp(customer));
                                    }
                                    return null;
                                }));
            }
            return this;
        }

        /** Lets each client finish the event in hand, retries included. */
        void stop() throws Exception {
            publishing.set(false);
            for (Future<?> client : running) {
                client.get(120, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            publishing.set(false);
            clients.shutdownNow();
        }

        void awaitAccepted(int count) {
            await(count + " events accepted")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> accepted.size() >= count || !otherAnswers.isEmpty());
        }

        List<UUID> accepted() {
            return accepted;
        }

        int unavailable() {
            return unavailable.get();
        }

        List<String> otherAnswers() {
            return otherAnswers;
        }

        private void publishUntilAccepted(String event) throws InterruptedException {
            while (true) {
                HttpResponse<String> answer;
                try {
                    answer = gateway.post(EVENTS, token, event);
                } catch (IOException e) {
                    otherAnswers.add(e.toString());
                    return;
                }
                if (answer.statusCode() == 202) {
                    accepted.add(idOf(event));
                    return;
                }
                boolean retryLater =
                        answer.statusCode() == 503
                                && answer.headers().firstValue("Retry-After").isPresent()
                                && answer.headers()
                                        .firstValue("Content-Type")
                                        .orElse("")
                                        .startsWith("application/problem+json");
                if (!retryLater) {
                    otherAnswers.add(answer.statusCode() + " " + answer.body());
                    return;
                }
                unavailable.incrementAndGet();
                // Sooner than Retry-After asks, so that the test is quick; as many times as needed.
                Thread.sleep(100);
            }
        }
    }

    private ServiceProcess startGateway() throws Exception {
        return platform.start("event-gateway", Map.of("GATEWAY_DB", GATEWAY_DB));
    }

    private static HttpResponse<String> postBatch(
            ServiceProcess gateway, String token, String batch) throws Exception {
        return gateway.post(
                EVENTS, token, batch, Map.of("Content-Type", "application/cloudevents-batch+json"));
    }

    private interface CustomerCheck {
        boolean holds(int customer) throws Exception;
    }

    private static boolean everyCustomerHas(CustomerCheck check) throws Exception {
        for (int i = 0; i < CUSTOMERS; i++) {
            if (!check.holds(i)) {
                return false;
            }
        }
        return true;
    }

    private String user(int i) {
        return "gw-" + run + "-" + i;
    }

    private String address(int i) {
        return user(i) + "@example.com";
    }

    /** An account-created event in the common JSON format; its source is left to the gateway. */
    private static String signUp(String user) {
        return ("{\"eventId\":\"%s\",\"eventType\":\"account-created\",\"userId\":\"%s\","
                        + "\"occurredAt\":\"%s\",\"schemaVersion\":1,"
                        + "\"data\":{\"email\":\"%s@example.com\",\"name\":\"New Customer\"}}")
                .formatted(UUID.randomUUID(), user, now(), user);
    }

    private static String productUse(String user) {
        return ("{\"eventId\":\"%s\",\"eventType\":\"product-use\",\"userId\":\"%s\","
                        + "\"productId\":\"thermostat-7\",\"occurredAt\":\"%s\",\"schemaVersion\":1,"
                        + "\"data\":{\"minutes\":42}}")
                .formatted(UUID.randomUUID(), user, now());
    }

    /** The event as a structured-mode CloudEvent (attributes, and the event as the data). */
    private static String structured(String event) {
        String id = idOf(event).toString();
        String user = event.replaceAll(".*\"userId\":\"([^\"]+)\".*", "$1");
        return ("{\"specversion\":\"1.0\",\"id\":\"%s\",\"type\":\"account-created\","
                        + "\"source\":\"/accounts\",\"subject\":\"%s\","
                        + "\"datacontenttype\":\"application/json\",\"data\":%s}")
                .formatted(id, user, event);
    }

    private static UUID idOf(String event) {
        return UUID.fromString(event.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1"));
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
