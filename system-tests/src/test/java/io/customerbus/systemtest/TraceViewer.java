package io.customerbus.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The trace viewer ./platform test runs (Zipkin, on ZIPKIN_PORT): services started with {@link
 * #exporting()} send it their spans, and a test reads a trace back through its API.
 */
final class TraceViewer {

    /** One span as the viewer shows it. */
    record Span(
            String service,
            String name,
            String kind,
            String id,
            String parentId,
            Map<String, String> tags) {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceViewer() {}

    private static int port() {
        String port = System.getenv("ZIPKIN_PORT");
        if (port == null) {
            throw new IllegalStateException(
                    "no trace viewer: ZIPKIN_PORT is set by ./platform test, which starts one");
        }
        return Integer.parseInt(port);
    }

    /** The environment that makes a service send its spans to the viewer, promptly. */
    static Map<String, String> exporting() {
        return Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "BUS_TRACING_EXPORTER", "zipkin",
                "BUS_TRACING_ENDPOINT", "http://127.0.0.1:" + port() + "/api/v2/spans",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S");
    }

    /** A new W3C trace id (32 lower-case hex digits). */
    static String newTraceId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Every span of a trace the viewer has received so far (none yet: an empty list). */
    static List<Span> trace(String traceId) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + port() + "/api/v2/trace/" + traceId))
                        .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "trace viewer answered " + response.statusCode() + ": " + response.body());
        }
        List<Span> spans = new ArrayList<>();
        for (JsonNode span : JSON.readTree(response.body())) {
            Map<String, String> tags =
                    span.has("tags")
                            ? JSON.convertValue(
                                    span.get("tags"),
                                    JSON.getTypeFactory()
                                            .constructMapType(
                                                    Map.class, String.class, String.class))
                            : Map.of();
            spans.add(
                    new Span(
                            span.path("localEndpoint").path("serviceName").asText(),
                            span.path("name").asText(),
                            span.path("kind").asText(),
                            span.path("id").asText(),
                            span.hasNonNull("parentId") ? span.get("parentId").asText() : null,
                            tags));
        }
        return spans;
    }

    /** The one span of a service with that name, if the viewer has it. */
    static Optional<Span> find(List<Span> trace, String service, String name) {
        List<Span> found =
                trace.stream()
                        .filter(s -> s.service().equals(service) && s.name().equals(name))
                        .toList();
        if (found.size() > 1) {
            throw new AssertionError(
                    found.size() + " spans " + name + " of " + service + " in one trace: " + found);
        }
        return found.stream().findFirst();
    }

    /** True when the span descends from the ancestor through its parents within the trace. */
    static boolean descendsFrom(List<Span> trace, Span span, Span ancestor) {
        String parent = span.parentId();
        for (int depth = 0; parent != null && depth < trace.size(); depth++) {
            if (parent.equals(ancestor.id())) {
                return true;
            }
            String current = parent;
            parent =
                    trace.stream()
                            .filter(s -> s.id().equals(current))
                            .map(Span::parentId)
                            .findFirst()
                            .orElse(null);
        }
        return false;
    }
}
