package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Purchases posted in a loop by a few clients while a test breaks a server: which ones got a 201,
 * in the order each customer bought them, and every other answer. What a fault must not change is
 * then checked from outside, on the bus and in the CRM.
 */
final class PurchaseLoad implements AutoCloseable {

    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"");
    private static final int CLIENTS = 4;

    private final ServiceProcess purchases;
    private final Tokens tokens;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final int customers;
    private final AtomicBoolean loading = new AtomicBoolean();
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private final List<Future<?>> running = new ArrayList<>();

    /** Per customer, the event ids of the purchases acknowledged with 201, in the order bought. */
    private final Map<String, List<UUID>> acknowledged = new ConcurrentHashMap<>();

    private final List<String> otherAnswers = new CopyOnWriteArrayList<>();
    private boolean onlyCreated;

    PurchaseLoad(ServiceProcess purchases, Tokens tokens, int customers) {
        this.purchases = purchases;
        this.tokens = tokens;
        this.customers = customers;
    }

    /**
     * For a fault no client may notice: waiting for acknowledgements ends at the first other
     * answer.
     */
    PurchaseLoad expectingOnlyCreated() {
        onlyCreated = true;
        return this;
    }

    /** Each client buys for its share of the customers, one purchase after another. */
    PurchaseLoad start() {
        loading.set(true);
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            running.add(
                    clients.submit(
                            () -> {
                                for (int round = 0; loading.get(); round++) {
                                    for (int c = first; c < customers; c += CLIENTS) {
                                        buy(customer(c), round);
                                    }
                                }
                                return null;
                            }));
        }
        return this;
    }

    /** Lets the clients finish the purchase in hand. */
    void stop() throws Exception {
        loading.set(false);
        for (Future<?> client : running) {
            client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
    }

    /** If a test ends early: no client goes on posting into the next test's servers. */
    @Override
    public void close() {
        loading.set(false);
        clients.shutdownNow();
    }

    /** Waits until this many purchases in all got a 201 since the load started. */
    void awaitAcknowledged(int count) {
        await(count + " purchases acknowledged")
                .atMost(Duration.ofSeconds(120))
                .until(() -> acknowledged() >= count || (onlyCreated && !otherAnswers.isEmpty()));
    }

    int acknowledged() {
        return acknowledged.values().stream().mapToInt(List::size).sum();
    }

    List<UUID> acknowledgedIds() {
        return acknowledged.values().stream().flatMap(List::stream).toList();
    }

    /** Answers other than 201 (status and body), and requests that got no answer. */
    List<String> otherAnswers() {
        return otherAnswers;
    }

    String customer(int c) {
        return "load-" + run + "-" + c;
    }

    /**
     * Each acknowledged purchase is on the bus, and each customer's acknowledged purchases are
     * there in the order bought; returns the run's events on the bus, first copy of each.
     */
    Map<UUID, CustomerEvent> assertOnTheBusInOrder(String bootstrap) {
        List<UUID> all = acknowledgedIds();
        Map<UUID, CustomerEvent> firstSeen = new LinkedHashMap<>();
        BusReader.readUntil(bootstrap, all, Duration.ofSeconds(90)).stream()
                .filter(event -> event.userId().startsWith("load-" + run + "-"))
                .forEach(event -> firstSeen.putIfAbsent(event.eventId(), event));
        assertThat(firstSeen.keySet()).as("acknowledged purchases on the bus").containsAll(all);
        for (int c = 0; c < customers; c++) {
            List<UUID> bought = acknowledged.getOrDefault(customer(c), List.of());
            List<UUID> onTheBus =
                    firstSeen.values().stream()
                            .map(CustomerEvent::eventId)
                            .filter(bought::contains)
                            .toList();
            assertThat(onTheBus)
                    .as("%s's purchases in the order bought", customer(c))
                    .isEqualTo(bought);
        }
        return firstSeen;
    }

    /** The CRM counts each of the run's events on the bus exactly once, customer by customer. */
    void assertInTheCrmOnce(ServiceProcess crm, Map<UUID, CustomerEvent> onTheBus) {
        String agent = tokens.agent("auditor");
        await("every event on the bus in the CRM, once")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            for (int c = 0; c < customers; c++) {
                                String customer = customer(c);
                                long events =
                                        onTheBus.values().stream()
                                                .filter(e -> e.userId().equals(customer))
                                                .count();
                                HttpResponse<String> profile =
                                        crm.get("/api/crm/v1/customers/" + customer, agent);
                                assertThat(profile.body())
                                        .as(customer)
                                        .contains("\"eventCount\":" + events + ",");
                            }
                        });
    }

    private void buy(String customer, int round) {
        try {
            HttpResponse<String> bought =
                    purchases.post(
                            "/api/purchases/v1/purchases",
                            tokens.customer(customer),
                            "{\"productId\":\"seq-%06d\",\"quantity\":1,\"unitPrice\":2.00,\"currency\":\"EUR\"}"
                                    .formatted(round));
            Matcher id = EVENT_ID.matcher(bought.body());
            if (bought.statusCode() == 201 && id.find()) {
                acknowledged
                        .computeIfAbsent(customer, c -> new CopyOnWriteArrayList<>())
                        .add(UUID.fromString(id.group(1)));
            } else {
                otherAnswers.add(bought.statusCode() + " " + bought.body());
            }
        } catch (Exception e) {
            otherAnswers.add(e.toString());
        }
    }
}
