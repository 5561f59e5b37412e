package io.customerbus.runtime.tracing;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.cloudevents.EventAttributes;
import io.customerbus.events.kafka.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The spans the platform adds to what Quarkus traces by itself (the HTTP server span): the relay's
 * publish of each event, each subscriber's processing of it, and the calls a handler makes for one
 * event (the email's SMTP send). Parents come from the event's W3C trace context — stored with the
 * outbox row, carried in the record's headers — so one trace runs from the REST call across the bus
 * to every subscriber. With the SDK disabled no span is made and the headers still carry the
 * caller's trace for the logs.
 */
@Singleton
public class BusTracing {

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> OPERATION =
            AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> DESTINATION =
            AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> MESSAGE_ID =
            AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> KEY =
            AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<String> PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("bus.event.type");
    private static final AttributeKey<String> SUBSCRIBER = AttributeKey.stringKey("bus.subscriber");

    /** Null while tracing is off. */
    private final Tracer tracer;

    /**
     * With the SDK disabled Quarkus still hands out one that makes (unexported) spans; the toolkit
     * then makes none at all — not even the parent's extraction, which would run per event per
     * subscriber — and records carry the caller's context unchanged.
     */
    @Inject
    public BusTracing(
            OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
                    boolean disabled) {
        this.tracer = disabled ? null : openTelemetry.getTracer("io.customerbus");
    }

    /**
     * The trace an event caused by an HTTP request belongs to: the request's server span when it is
     * traced, else the caller's own headers, else a new trace — every event can be followed.
     */
    public static TraceContext ofRequest(String traceparent, String tracestate) {
        return contextOf(Span.current())
                .orElseGet(() -> TraceContext.continueOrStart(traceparent, tracestate));
    }

    /** The relay sending one event to the bus, a child of the request that stored it. */
    public Span publishing(String topic, EventAttributes event, Optional<TraceContext> stored) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(topic + " publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parentOf(stored))
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "publish")
                .setAttribute(DESTINATION, topic)
                .setAttribute(MESSAGE_ID, event.eventId().toString())
                .setAttribute(KEY, event.userId())
                .setAttribute(EVENT_TYPE, event.eventType())
                .startSpan();
    }

    /** One subscriber applying one event, a child of the span that published it. */
    public Span processing(
            String subscriber,
            ConsumerRecord<?, ?> record,
            CustomerEvent event,
            Optional<TraceContext> trace) {
        if (tracer == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(record.topic() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parentOf(trace))
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(PARTITION, Integer.toString(record.partition()))
                .setAttribute(OFFSET, record.offset())
                .setAttribute(MESSAGE_ID, event.eventId().toString())
                .setAttribute(EVENT_TYPE, event.eventType())
                .setAttribute(SUBSCRIBER, subscriber)
                .startSpan();
    }

    /** A call made while handling one event (an SMTP send, say), inside its processing span. */
    public Span child(Span parent, String name, SpanKind kind) {
        if (tracer == null || !parent.getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name)
                .setSpanKind(kind)
                .setParent(Context.root().with(parent))
                .startSpan();
    }

    /** Ends a span, marked failed with the cause when there is one. */
    public static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }

    /** The W3C context a span's children continue, when the span is a real one. */
    public static Optional<TraceContext> contextOf(Span span) {
        if (!span.getSpanContext().isValid()) {
            return Optional.empty();
        }
        Map<String, String> headers = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance()
                .inject(Context.root().with(span), headers, Map::put);
        return TraceContext.parse(headers.get("traceparent"), headers.get("tracestate"));
    }

    private static Context parentOf(Optional<TraceContext> trace) {
        return trace.map(
                        t ->
                                W3CTraceContextPropagator.getInstance()
                                        .extract(Context.root(), t, TRACE_CONTEXT))
                .orElse(Context.root());
    }

    private static final TextMapGetter<TraceContext> TRACE_CONTEXT =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(TraceContext trace) {
                    return List.of("traceparent", "tracestate");
                }

                @Override
                public String get(TraceContext trace, String key) {
                    if (trace == null) {
                        return null;
                    }
                    return switch (key) {
                        case "traceparent" -> trace.traceparent();
                        case "tracestate" -> trace.tracestate();
                        default -> null;
                    };
                }
            };
}
