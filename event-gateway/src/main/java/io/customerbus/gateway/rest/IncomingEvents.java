package io.customerbus.gateway.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.customerbus.events.cloudevents.CustomerCloudEvents;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.CustomerEventJson;
import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.json.ValidEvent;
import io.customerbus.events.json.Violation;
import io.customerbus.gateway.intake.RejectedEvents;
import java.io.CharConversionException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request's events in any of the forms the gateway takes — the common JSON event, a
 * CloudEvent in HTTP structured or binary mode (the CloudEvents SDK's HTTP binding), a batch of
 * structured CloudEvents — each mapped onto the bus contract as on Kafka ({@link
 * CustomerCloudEvents}). Every event is validated; one invalid event rejects the request, naming
 * every violation of every event.
 */
final class IncomingEvents {

    static final String CLOUDEVENT_TYPE = "application/cloudevents+json";
    static final String BATCH_TYPE = "application/cloudevents-batch+json";
    static final String SPEC_VERSION_HEADER = "ce-specversion";

    /**
     * The SDK's structured-mode deserializer on the bus's own mapper, so that numbers in the data
     * stay exact decimals (the SDK's default mapper would make 19.99 a double).
     */
    private static final ObjectMapper STRUCTURED_MAPPER =
            CustomerEventJson.mapper()
                    .copy()
                    // It reads a batch's items one after the other from one parser: what follows
                    // the array, or a single CloudEvent, is checked here instead.
                    .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .registerModule(JsonFormat.getCloudEventJacksonModule())
                    .registerModule(
                            new SimpleModule()
                                    .addDeserializer(ObjectNode.class, new ContentTypeFirst()));

    private static final ObjectReader STRUCTURED_READER =
            STRUCTURED_MAPPER.readerFor(CloudEvent.class);

    private IncomingEvents() {}

    /** The form of a request, from its headers. */
    enum Mode {
        EVENT,
        STRUCTURED,
        BINARY,
        BATCH;

        static Mode of(String contentType, boolean hasSpecVersion) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith(BATCH_TYPE)) {
                return BATCH;
            }
            if (type.startsWith(CLOUDEVENT_TYPE)) {
                return STRUCTURED;
            }
            if (hasSpecVersion) {
                return BINARY;
            }
            if (type.startsWith("application/json")) {
                return EVENT;
            }
            throw new RejectedEvents(
                    415,
                    "Unsupported Media Type",
                    "send application/json (one event), "
                            + CLOUDEVENT_TYPE
                            + " (structured mode), "
                            + BATCH_TYPE
                            + " (a batch), or ce-* headers (binary mode), not "
                            + (contentType == null
                                    ? "a body without a Content-Type"
                                    : "'" + contentType + "'"));
        }
    }

    static List<ValidEvent> read(
            Mode mode,
            Map<String, List<String>> headers,
            byte[] body,
            String publisher,
            int maxBatch,
            Duration maxAhead) {
        List<RejectedEvents.Problem> problems = new ArrayList<>();
        List<ValidEvent> events = new ArrayList<>();
        Limits limits = new Limits(Instant.now().plus(maxAhead), maxAhead);
        try {
            readAll(mode, headers, body, publisher, maxBatch, problems, events, limits);
        } catch (RejectedEvents wholeBatch) {
            throw wholeBatch.afterReading(events.size() + RejectedEvents.eventsIn(problems));
        }
        if (!problems.isEmpty()) {
            int invalid = RejectedEvents.eventsIn(problems);
            // An event larger than the bus carries is refused as a body over a limit is.
            boolean tooLarge =
                    problems.stream()
                            .anyMatch(
                                    problem -> CustomerEventCodec.SIZE_RULE.equals(problem.rule()));
            throw new RejectedEvents(
                            tooLarge ? 413 : 400,
                            tooLarge ? "Payload Too Large" : "Bad Request",
                            mode == Mode.BATCH
                                    ? invalid
                                            + " of the batch's events "
                                            + (invalid == 1 ? "breaks" : "break")
                                            + " the contract; none was accepted"
                                    : "the event breaks the contract",
                            problems)
                    .afterReading(events.size() + invalid);
        }
        return events;
    }

    private static void readAll(
            Mode mode,
            Map<String, List<String>> headers,
            byte[] body,
            String publisher,
            int maxBatch,
            List<RejectedEvents.Problem> problems,
            List<ValidEvent> events,
            Limits limits) {
        switch (mode) {
            case EVENT ->
                    readOne(
                            0,
                            problems,
                            events,
                            limits,
                            () -> CustomerEventCodec.decodeAs(body, publisher));
            case STRUCTURED ->
                    readOne(0, problems, events, limits, () -> structured(body, publisher));
            case BINARY ->
                    readOne(0, problems, events, limits, () -> binary(headers, body, publisher));
            case BATCH -> readBatch(body, maxBatch, publisher, problems, events, limits);
        }
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    /** The latest occurredAt the gateway takes: the broker refuses records from further ahead. */
    private record Limits(Instant latest, Duration maxAhead) {}

    private static void readOne(
            int index,
            List<RejectedEvents.Problem> problems,
            List<ValidEvent> events,
            Limits limits,
            Reading<ValidEvent> reading) {
        try {
            ValidEvent valid = reading.read();
            Instant occurredAt = valid.event().occurredAt();
            if (occurredAt.isAfter(limits.latest())) {
                problems.add(
                        new RejectedEvents.Problem(
                                index,
                                "occurredAt",
                                "future",
                                occurredAt
                                        + " is more than "
                                        + limits.maxAhead()
                                        + " ahead of the gateway's clock: the bus refuses"
                                        + " records from the future"));
            } else {
                events.add(valid);
            }
        } catch (InvalidEventException e) {
            for (Violation violation : e.violations()) {
                problems.add(
                        new RejectedEvents.Problem(
                                index, violation.field(), violation.rule(), violation.message()));
            }
        } catch (IOException e) {
            problems.add(new RejectedEvents.Problem(index, "$", "cloudevents", firstLine(e)));
        }
    }

    /**
     * A batch read as it streams: each item goes from the body's bytes straight to the SDK's
     * deserializer (which buffers the event as a tree once), instead of a tree of the whole batch
     * that the SDK would copy item by item. The refusals are those of the whole batch first — not
     * JSON, not an array, empty, too many items — then each item's.
     */
    private static void readBatch(
            byte[] body,
            int maxBatch,
            String publisher,
            List<RejectedEvents.Problem> problems,
            List<ValidEvent> events,
            Limits limits) {
        int items = 0;
        try (JsonParser parser = STRUCTURED_MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new RejectedEvents(
                        400, "Bad Request", "a batch is a JSON array of structured CloudEvents");
            }
            for (JsonToken token = parser.nextToken();
                    token != JsonToken.END_ARRAY;
                    token = parser.nextToken(), items++) {
                int index = items;
                if (index >= maxBatch) {
                    // Only counted, for the refusal to say how many.
                    parser.skipChildren();
                } else if (token != JsonToken.START_OBJECT) {
                    problems.add(
                            new RejectedEvents.Problem(
                                    index,
                                    "$",
                                    "cloudevents",
                                    "a batch's item is a structured CloudEvent (a JSON object),"
                                            + " not "
                                            + kindOf(token)));
                    parser.skipChildren();
                } else {
                    // The SDK reads the whole object before it checks anything, so a refused item
                    // leaves the parser at its end, like an accepted one.
                    readOne(index, problems, events, limits, () -> structured(parser, publisher));
                }
            }
            if (parser.nextToken() != null) {
                throw new RejectedEvents(
                        400,
                        "Bad Request",
                        "the body goes on after the batch's array: send one array per request");
            }
        } catch (NotJson e) {
            throw unreadableBatch(e.reason());
        } catch (StreamReadException | StreamConstraintsException e) {
            throw unreadableBatch(e);
        } catch (CharConversionException e) {
            throw unreadableBatch(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a request body held in memory", e);
        }
        if (items == 0) {
            throw new RejectedEvents(400, "Bad Request", "the batch is empty");
        }
        if (items > maxBatch) {
            throw new RejectedEvents(
                    413,
                    "Payload Too Large",
                    "a batch may hold at most " + maxBatch + " events, this one has " + items);
        }
    }

    private static RejectedEvents unreadableBatch(IOException e) {
        String why = firstLine(e);
        return new RejectedEvents(
                400,
                "Bad Request",
                "the batch is not valid JSON: " + why,
                List.of(new RejectedEvents.Problem(0, "$", "json", why)));
    }

    /** What an array's item is, when it is not an object. */
    private static String kindOf(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }

    /**
     * A syntax error inside a batch's item, or JSON past the parser's limits (nesting, a number's
     * length): the whole body is unreadable, not just that event.
     */
    private static final class NotJson extends RuntimeException {
        NotJson(JsonProcessingException cause) {
            super(cause);
        }

        JsonProcessingException reason() {
            return (JsonProcessingException) getCause();
        }
    }

    /** The structured CloudEvent the parser is at (its opening brace), read to its end. */
    private static ValidEvent structured(JsonParser parser, String publisher) throws IOException {
        CloudEvent cloudEvent;
        try {
            cloudEvent = cloudEvent(() -> STRUCTURED_READER.readValue(parser));
        } catch (StreamReadException | StreamConstraintsException e) {
            throw new NotJson(e);
        }
        if (cloudEvent == null) {
            // The SDK's deserializer reads a JSON null as no event, not as an error.
            throw new InvalidEventException(
                    new Violation("$", "cloudevents", "not a valid CloudEvent: null"));
        }
        return CustomerCloudEvents.readAs(cloudEvent, "", publisher);
    }

    private static ValidEvent structured(byte[] body, String publisher) throws IOException {
        try (JsonParser parser = STRUCTURED_MAPPER.createParser(body)) {
            ValidEvent event = structured(parser, publisher);
            if (parser.nextToken() != null) {
                throw new InvalidEventException(
                        new Violation(
                                "$",
                                "json",
                                "the body goes on after the CloudEvent: send a batch for more"
                                        + " than one"));
            }
            return event;
        } catch (NotJson e) {
            throw notJson(e.reason());
        } catch (StreamReadException e) {
            throw notJson(e); // after the CloudEvent
        } catch (CharConversionException e) {
            // Bytes that look like UTF-32 in an order the parser does not read.
            throw notJson(e);
        }
    }

    private static InvalidEventException notJson(IOException e) {
        return new InvalidEventException(
                new Violation("$", "json", "not valid JSON: " + firstLine(e)));
    }

    /** The SDK's own refusals (no id, a bad spec version, ...) as violations of the envelope. */
    private static ValidEvent binary(
            Map<String, List<String>> headers, byte[] body, String publisher) throws IOException {
        Map<String, List<String>> attributes = CloudEventHeaders.decoded(headers);
        return CustomerCloudEvents.readAs(
                cloudEvent(
                        () ->
                                HttpMessageFactory.createReaderFromMultimap(attributes, body)
                                        .toEvent()),
                "ce-",
                publisher);
    }

    private static CloudEvent cloudEvent(Reading<CloudEvent> reading) throws IOException {
        try {
            return reading.read();
        } catch (InvalidEventException e) {
            throw e; // a violation named before the SDK's own checks
        } catch (RuntimeException e) {
            throw new InvalidEventException(
                    new Violation("$", "cloudevents", "not a valid CloudEvent: " + firstLine(e)));
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
