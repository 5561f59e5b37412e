package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.systemtest.TraceViewer.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One purchase is one trace, read back from the real trace viewer: the REST call in
 * purchase-service (a child of the caller's traceparent), the relay's publish, and a processing
 * span in the CRM, analytics and email subscribers — each a descendant of the POST — with the
 * email's SMTP call inside its processing span; the record on the bus carries the publish span.
 */
class TracingIT {

    private static final String CRM_DB = "crm_systest_trace";

    private TestPlatform platform;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void startPlatform() throws Exception {
        PurchaseDatabase.recreate();
        PurchaseDatabase.recreate(CRM_DB);
        platform = new TestPlatform();
    }

    @AfterEach
    void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void aPurchaseIsOneTraceFromTheRestCallThroughTheBusToEverySubscriber() throws Exception {
        ServiceProcess purchases =
                start("purchase-service", Map.of("PURCHASES_DB", PurchaseDatabase.NAME));
        start("crm-subscriber", Map.of("CRM_DB", CRM_DB, "CRM_GROUP", "crm-trace-" + run));
        start(
                "analytics-subscriber",
                Map.of(
                        "ANALYTICS_GROUP", "analytics-trace-" + run,
                        "ANALYTICS_KEY_PREFIX", "analytics-trace-" + run + ":"));
        start(
                "email-subscriber",
                Map.of(
                        "SMTP_PORT",
                        Integer.toString(platform.smtp().port()),
                        "EMAIL_GROUP",
                        "email-" + run));

        String traceId = TraceViewer.newTraceId();
        String callerSpan = "00f067aa0ba902b7";
        String user = "traced-" + run;
        HttpResponse<String> bought =
                purchases.post(
                        "/api/purchases/v1/purchases",
                        platform.tokens().customer(user),
                        "{\"productId\":\"book\",\"quantity\":1,\"unitPrice\":3.50,\"currency\":\"EUR\"}",
                        Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);

        // A parent span ends after its children and may reach the viewer in a later export: the
        // trace is read again until every span is in it, each in its place.
        AtomicReference<String> publishSpan = new AtomicReference<>();
        await("one trace with the purchase's spans from every service")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () ->
                                publishSpan.set(
                                        assertOneTrace(TraceViewer.trace(traceId), callerSpan)));
        assertThat(platform.smtp().subjects(user + "@example.com")).hasSize(1);

        // What other services see on the bus: the publish span as the record's parent.
        assertThat(traceparentOnTheBus(user))
                .isEqualTo("00-" + traceId + "-" + publishSpan.get() + "-01");
    }

    /**
     * The POST under the caller's span, the relay's publish under the POST, each subscriber's
     * processing under the publish, the SMTP call under the email's processing; returns the publish
     * span's id.
     */
    private static String assertOneTrace(List<Span> trace, String callerSpan) {
        Span post = span(trace, "purchase-service", "post /api/purchases/v1/purchases");
        assertThat(post.kind()).isEqualTo("SERVER");
        assertThat(post.parentId()).as("a child of the caller's span").isEqualTo(callerSpan);
        Span publish = span(trace, "purchase-service", "customer-events publish");
        assertThat(publish.kind()).isEqualTo("PRODUCER");
        assertThat(publish.parentId()).isEqualTo(post.id());
        for (String subscriber :
                List.of("crm-subscriber", "analytics-subscriber", "email-subscriber")) {
            Span processed = span(trace, subscriber, "customer-events process");
            assertThat(processed.kind()).isEqualTo("CONSUMER");
            assertThat(processed.parentId()).as(subscriber).isEqualTo(publish.id());
            assertThat(TraceViewer.descendsFrom(trace, processed, post)).as(subscriber).isTrue();
            assertThat(processed.tags())
                    .containsEntry("bus.event.type", "purchase")
                    .containsEntry("messaging.destination.name", BusTopics.CUSTOMER_EVENTS);
        }
        Span smtpSend = span(trace, "email-subscriber", "smtp send");
        assertThat(smtpSend.parentId())
                .isEqualTo(span(trace, "email-subscriber", "customer-events process").id());
        assertThat(smtpSend.tags()).doesNotContainKey("error");
        return publish.id();
    }

    private static Span span(List<Span> trace, String service, String name) {
        return TraceViewer.find(trace, service, name)
                .orElseThrow(() -> new AssertionError(service + " " + name + " in " + trace));
    }

    /** The traceparent header of the one record keyed by the user. */
    private String traceparentOnTheBus(String user) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "systest-trace-" + run);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(BusTopics.CUSTOMER_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        return BusHeaders.text(record.headers(), BusHeaders.TRACEPARENT);
                    }
                }
            }
        }
        throw new AssertionError("no record of " + user + " on the bus");
    }

    /** A service of the test's platform that sends its spans to the trace viewer. */
    private ServiceProcess start(String module, Map<String, String> own) throws Exception {
        Map<String, String> env = new HashMap<>(own);
        env.putAll(TraceViewer.exporting());
        return platform.start(module, env);
    }
}
