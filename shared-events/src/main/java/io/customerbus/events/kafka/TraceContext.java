package io.customerbus.events.kafka;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C trace context ({@code traceparent}, optional {@code tracestate}) carried from the request
 * that caused an event to every service that handles it, so one trace id links them in logs.
 */
public record TraceContext(String traceparent, String tracestate) {

    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    public TraceContext {
        if (!isValid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
    }

    /** A context from header values, or empty when the traceparent is absent or malformed. */
    public static Optional<TraceContext> parse(String traceparent, String tracestate) {
        return isValid(traceparent)
                ? Optional.of(new TraceContext(traceparent, tracestate))
                : Optional.empty();
    }

    /** The caller's trace from its headers, or a new one: every event can be followed by its id. */
    public static TraceContext continueOrStart(String traceparent, String tracestate) {
        return parse(traceparent, tracestate).orElseGet(TraceContext::newRoot);
    }

    /** A new trace, for work that arrives without one. */
    public static TraceContext newRoot() {
        java.util.concurrent.ThreadLocalRandom random =
                java.util.concurrent.ThreadLocalRandom.current();
        String traceId = "%016x%016x".formatted(random.nextLong() | 1, random.nextLong());
        String spanId = "%016x".formatted(random.nextLong() | 1);
        return new TraceContext("00-" + traceId + "-" + spanId + "-01", null);
    }

    public static Optional<TraceContext> readFrom(Headers headers) {
        return parse(
                BusHeaders.text(headers, BusHeaders.TRACEPARENT),
                BusHeaders.text(headers, BusHeaders.TRACESTATE));
    }

    public void writeTo(Headers headers) {
        BusHeaders.put(headers, BusHeaders.TRACEPARENT, traceparent);
        if (tracestate != null && !tracestate.isBlank()) {
            BusHeaders.put(headers, BusHeaders.TRACESTATE, tracestate);
        }
    }

    /** The 32-hex-digit trace id, for log lines. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    private static boolean isValid(String traceparent) {
        return traceparent != null
                && TRACEPARENT.matcher(traceparent).matches()
                && !traceparent.startsWith("ff")
                && !traceparent.substring(3, 35).equals(ZERO_TRACE)
                && !traceparent.substring(36, 52).equals(ZERO_SPAN);
    }
}
