package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' console in a real browser, on a platform of real subscriber processes: the page
 * lists the CRM, email and analytics subscribers as they described themselves, with the traffic on
 * the bus; a token without bus-admin sees nothing; a dead letter is found, re-driven to its
 * subscriber alone and purged; a replay is planned, started and followed to the end, from the page.
 */
class ConsoleIT {

    private static final String CRM_DB = "crm_systest_console";

    private TestPlatform platform;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startPlatform() throws Exception {
        PurchaseDatabase.recreate(CRM_DB);
        platform = new TestPlatform();
    }

    @AfterEach
    void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void thePageShowsEverySubscriberAsItDescribedItselfAndTheBusTraffic() throws Exception {
        platform.start("crm-subscriber", Map.of("CRM_DB", CRM_DB, "CRM_GROUP", "crm-" + run));
        platform.start(
                "email-subscriber",
                Map.of(
                        "SMTP_PORT",
                        Integer.toString(platform.smtp().port()),
                        "EMAIL_GROUP",
                        "email-" + run));
        platform.start(
                "analytics-subscriber",
                Map.of(
                        "ANALYTICS_GROUP", "analytics-" + run,
                        "ANALYTICS_KEY_PREFIX", "analytics-console-" + run + ":"));
        ServiceProcess console = platform.start("bus-console", Map.of());
        publishSignUps(5);

        WebDriver browser = Browser.chromium();
        try {
            browser.get(console.baseUrl() + "/console/#token=" + platform.tokens().admin("ops"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            // The page redraws its rows at every refresh: a row read half-way may go stale.
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));
            // As each described itself; each runs one member and has caught up (lag 0).
            expectRow(wait, "crm-" + run, "crm", "*", "beginning", "customer-care");
            expectRow(
                    wait,
                    "email-" + run,
                    "email",
                    "account-created, purchase",
                    "now",
                    "notifications");
            expectRow(wait, "analytics-" + run, "analytics", "*", "beginning", "analytics");
            wait.until(
                    d ->
                            !d.findElements(
                                            By.cssSelector(
                                                    "#traffic tr[data-type='account-created']"))
                                    .isEmpty());
            assertThat(browser.findElement(By.id("cost")).getText()).matches("\\d+ ms");
            Browser.screenshot(browser, "bus-console.png");
        } finally {
            browser.quit();
        }

        WebDriver stranger = Browser.chromium();
        try {
            stranger.get(console.baseUrl() + "/console/#token=" + platform.tokens().analyst("ana"));
            WebDriverWait wait = new WebDriverWait(stranger, Duration.ofSeconds(30));
            wait.until(d -> d.findElement(By.id("status")).getText().contains("not authorised"));
            assertThat(stranger.findElement(By.id("console")).isDisplayed()).isFalse();
            assertThat(stranger.findElements(By.cssSelector("#subscribers tbody tr"))).isEmpty();
        } finally {
            stranger.quit();
        }
    }

    @Test
    void aFailingEmailIsADeadLetterWithItsReasonAndOneReDriveFromThePageDeliversItOnce()
            throws Exception {
        platform.start(
                "email-subscriber",
                Map.of(
                        "SMTP_PORT", Integer.toString(platform.smtp().port()),
                        "EMAIL_GROUP", "email-" + run,
                        "EMAIL_RETRY_INITIAL_BACKOFF", "PT1S",
                        "EMAIL_RETRY_MAX_BACKOFF", "PT2S",
                        "EMAIL_RETRY_MAX_ATTEMPTS", "2",
                        "EMAIL_SEND_TIMEOUT", "PT5S"));
        ServiceProcess console = platform.start("bus-console", Map.of());
        platform.smtp().stop();
        String customer = "dead-" + run;
        publishPurchase(customer);

        WebDriver browser = Browser.chromium();
        try {
            browser.get(console.baseUrl() + "/console/#token=" + platform.tokens().admin("ops"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            wait.ignoring(StaleElementReferenceException.class);
            // Two failed attempts later, the email subscriber's row shows one dead letter.
            wait.until(d -> deadLetters(d, "email-" + run).equals("1"));
            click(wait, d -> row(d, "email-" + run).orElse(null));
            wait.until(
                    d ->
                            d.findElements(By.cssSelector("#dead-letter-reasons td")).stream()
                                    .anyMatch(
                                            td ->
                                                    td.getText()
                                                            .contains("gave up after 2 attempts")));
            click(
                    wait,
                    d -> d.findElements(By.cssSelector("#dead-letter-list tr.subscriber")).get(0));
            wait.until(
                    d ->
                            d.findElement(By.id("dead-letter"))
                                    .getText()
                                    .contains("\"userId\": \"" + customer));
            Browser.screenshot(browser, "bus-console-dead-letter.png");

            platform.smtp().start(); // the fix
            long busEnd = Observed.endOffsets(platform.kafka(), BusTopics.CUSTOMER_EVENTS);
            browser.findElement(By.id("redrive")).click();
            // Confirmed with the server's plan of what the re-drive sends.
            Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(confirm.getText()).startsWith("Re-drive 1 of the 1 dead letter(s)");
            confirm.accept();
            await("delivered once, after the re-drive")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> platform.smtp().subjects(customer + "@example.com").size() == 1);
            assertThat(Observed.endOffsets(platform.kafka(), BusTopics.CUSTOMER_EVENTS))
                    .as("nothing went back onto the bus")
                    .isEqualTo(busEnd);
            wait.until(
                    d ->
                            d.findElements(By.cssSelector("#activity td")).stream()
                                    .anyMatch(td -> td.getText().equals("redrive")));
            assertThat(platform.smtp().subjects(customer + "@example.com")).hasSize(1);

            // Delivered: the dead letter is cleared from the page, confirmed, and audited.
            // The page draws the letters again after the re-drive: the button is waited for.
            click(wait, d -> d.findElement(By.id("purge")));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(d -> deadLetters(d, "email-" + run).equals("0"));
            wait.until(
                    d ->
                            d.findElements(By.cssSelector("#activity td")).stream()
                                    .anyMatch(td -> td.getText().equals("purge")));
        } finally {
            browser.quit();
        }
    }

    @Test
    void aReplayFromThePageIsPlannedFirstRefusedWhileTheGroupRunsAndShowsItsProgressToDone()
            throws Exception {
        String group = "analytics-" + run;
        Map<String, String> env =
                Map.of(
                        "ANALYTICS_GROUP",
                        group,
                        "ANALYTICS_KEY_PREFIX",
                        "analytics-replay-" + run + ":");
        ServiceProcess analytics = platform.start("analytics-subscriber", env);
        ServiceProcess console = platform.start("bus-console", Map.of());
        int events = 50;
        publishSignUps(events);

        WebDriver browser = Browser.chromium();
        try {
            browser.get(console.baseUrl() + "/console/#token=" + platform.tokens().admin("ops"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            wait.ignoring(StaleElementReferenceException.class);
            expectRow(wait, group, "analytics", "*", "beginning", "analytics");
            click(wait, d -> row(d, group).orElse(null));
            wait.until(d -> d.findElement(By.id("replay")).isDisplayed());

            // While the subscriber runs, the plan is refused, as the CLI refuses it.
            browser.findElement(By.id("replay-plan")).click();
            wait.until(
                    d ->
                            d.findElement(By.id("replay-refused"))
                                    .getText()
                                    .contains("stop its deployments first"));

            analytics.close();
            wait.until(d -> cellsOf(d, group).size() > 6 && cellsOf(d, group).get(6).equals("0"));
            browser.findElement(By.id("replay-plan")).click();
            wait.until(
                    d ->
                            d.findElement(By.id("replay-plan-view"))
                                    .getText()
                                    .contains(
                                            events
                                                    + " record(s) will be processed again, from the"
                                                    + " beginning"));
            browser.findElement(By.id("replay-start")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            // Rewound, not yet re-applied: the subscriber is stopped.
            wait.until(d -> replayCell(d, group).startsWith("0 %"));

            ServiceProcess replaying = platform.start("analytics-subscriber", env);
            wait.until(
                    d ->
                            replayCell(d, group).contains("100 %")
                                    && replayCell(d, group).contains("done"));
            await("every replayed event recognised as one already counted")
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    Observed.counter(
                                            replaying, "analytics_events_duplicate_total", ""),
                            n -> n == events);
            assertThat(Observed.counter(replaying, "analytics_events_counted_total", "")).isZero();
            wait.until(
                    d ->
                            d.findElements(By.cssSelector("#activity td")).stream()
                                    .anyMatch(td -> td.getText().equals("replay")));
            Browser.screenshot(browser, "bus-console-replay.png");
        } finally {
            browser.quit();
        }
    }

    private void publishPurchase(String customer) throws Exception {
        CustomerEventFactory events = new CustomerEventFactory("purchase-service");
        Map<String, Object> data =
                Map.of(
                        "purchaseId",
                        UUID.randomUUID().toString(),
                        "quantity",
                        1,
                        "unitPrice",
                        new BigDecimal("5.00"),
                        "currency",
                        "EUR",
                        "email",
                        customer + "@example.com");
        publish(events.create(EventTypes.PURCHASE, customer, "book", data));
    }

    /** Sign-ups straight onto the bus, as the accounts system's gateway would put them. */
    private void publishSignUps(int count) throws Exception {
        CustomerEventFactory events = new CustomerEventFactory("accounts");
        List<CustomerEvent> signUps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = "console-" + run + "-" + i;
            signUps.add(
                    events.create(
                            EventTypes.ACCOUNT_CREATED,
                            user,
                            null,
                            Map.of("email", user + "@example.com")));
        }
        publish(signUps.toArray(CustomerEvent[]::new));
    }

    /** Events straight onto the bus, as their publishers would put them. */
    private void publish(CustomerEvent... events) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                platform.kafka().bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (CustomerEvent event : events) {
                producer.send(
                                BusRecordCodec.encode(
                                        BusTopics.CUSTOMER_EVENTS, event, Optional.empty()))
                        .get();
            }
        }
    }

    /**
     * Waits until the group's row reads: name, group, types, start, owner, ..., 1 member, lag 0.
     */
    private static void expectRow(
            WebDriverWait wait,
            String group,
            String name,
            String types,
            String starts,
            String owner) {
        wait.until(
                d -> {
                    List<String> cells = row(d, group).map(ConsoleIT::cells).orElse(List.of());
                    return cells.size() > 7
                            && cells.subList(0, 5)
                                    .equals(List.of(name, group, types, starts, owner))
                            && cells.get(6).equals("1")
                            && cells.get(7).equals("0");
                });
    }

    private static Optional<WebElement> row(WebDriver browser, String group) {
        return browser
                .findElements(By.cssSelector("#subscribers tr[data-group='" + group + "']"))
                .stream()
                .findFirst();
    }

    private static List<String> cellsOf(WebDriver browser, String group) {
        return row(browser, group).map(ConsoleIT::cells).orElse(List.of());
    }

    /**
     * Clicks an element of a table the page redraws as it polls: one found just before a redraw is
     * stale by the click, so it is found and clicked again (the wait ignores stale elements), and
     * one missing while the table is redrawn (null) is looked for again.
     */
    private static void click(WebDriverWait wait, Function<WebDriver, WebElement> element) {
        wait.until(
                d -> {
                    WebElement found = element.apply(d);
                    if (found == null) {
                        return false;
                    }
                    found.click();
                    return true;
                });
    }

    /** The subscriber's row's dead-letter count, as the page shows it. */
    private static String deadLetters(WebDriver browser, String group) {
        List<String> cells = cellsOf(browser, group);
        return cells.size() > 9 ? cells.get(9) : "";
    }

    private static String replayCell(WebDriver browser, String group) {
        return row(browser, group)
                .map(r -> r.findElement(By.cssSelector("td.replay")).getText())
                .orElse("");
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }
}
