package io.customerbus.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper STRUCTURED_READER =
            CustomerEventJson.mapper()
                    .copy()
                    .registerModule(JsonFormat.getCloudEventJacksonModule());

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
                            + " (a batch), or ce-* headers (binary mode), not '"
                            + contentType
                            + "'");
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
        switch (mode) {
            case EVENT ->
                    readOne(
                            0,
                            problems,
                            events,
                            limits,
                            () -> CustomerEventCodec.decodeAs(body, publisher));
            case STRUCTURED ->
                    readOne(
                            0,
                            problems,
                            events,
                            limits,
                            () -> structured(readJson(body), publisher));
            case BINARY ->
                    readOne(
                            0,
                            problems,
                            events,
                            limits,
                            () ->
                                    CustomerCloudEvents.readAs(
                                            cloudEvent(
                                                    () ->
                                                            HttpMessageFactory
                                                                    .createReaderFromMultimap(
                                                                            headers, body)
                                                                    .toEvent()),
                                            "ce-",
                                            publisher));
            case BATCH -> {
                JsonNode batch = batch(body, maxBatch);
                for (int i = 0; i < batch.size(); i++) {
                    JsonNode item = batch.get(i);
                    readOne(i, problems, events, limits, () -> structured(item, publisher));
                }
            }
        }
        if (!problems.isEmpty()) {
            int invalid = RejectedEvents.eventsIn(problems);
            throw new RejectedEvents(
                    400,
                    "Bad Request",
                    mode == Mode.BATCH
                            ? invalid
                                    + " of the batch's events break the contract; none was accepted"
                            : "the event breaks the contract",
                    problems);
        }
        return events;
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

    private static ValidEvent structured(JsonNode cloudEvent, String publisher) throws IOException {
        return CustomerCloudEvents.readAs(
                cloudEvent(() -> STRUCTURED_READER.treeToValue(cloudEvent, CloudEvent.class)),
                "",
                publisher);
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return STRUCTURED_READER.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException(
                    new Violation("$", "json", "not valid JSON: " + firstLine(e)));
        }
    }

    /** The SDK's own refusals (no id, a bad spec version, ...) as violations of the envelope. */
    private static CloudEvent cloudEvent(Reading<CloudEvent> reading) throws IOException {
        try {
            return reading.read();
        } catch (RuntimeException e) {
            throw new InvalidEventException(
                    new Violation("$", "cloudevents", "not a valid CloudEvent: " + firstLine(e)));
        }
    }

    private static JsonNode batch(byte[] body, int maxBatch) {
        JsonNode batch;
        try {
            batch = STRUCTURED_READER.readTree(body);
        } catch (IOException e) {
            throw new RejectedEvents(
                    400,
                    "Bad Request",
                    "the batch is not valid JSON: " + firstLine(e),
                    List.of(new RejectedEvents.Problem(0, "$", "json", firstLine(e))));
        }
        if (batch == null || !batch.isArray()) {
            throw new RejectedEvents(
                    400, "Bad Request", "a batch is a JSON array of structured CloudEvents");
        }
        if (batch.isEmpty()) {
            throw new RejectedEvents(400, "Bad Request", "the batch is empty");
        }
        if (batch.size() > maxBatch) {
            throw new RejectedEvents(
                    413,
                    "Payload Too Large",
                    "a batch may hold at most "
                            + maxBatch
                            + " events, this one has "
                            + batch.size());
        }
        return batch;
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
