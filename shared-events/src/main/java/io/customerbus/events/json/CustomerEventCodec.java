package io.customerbus.events.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerbus.events.CustomerEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Event to and from UTF-8 JSON, with the schema enforced both ways: a publisher cannot put an
 * invalid event on the bus, and a subscriber gets either a valid event or an {@link
 * InvalidEventException} that names the field and the rule (for its dead-letter reason).
 */
public final class CustomerEventCodec {

    /**
     * The largest event the bus carries, in bytes of its JSON. A Kafka record holds at most 1 MiB
     * by default (the producer's {@code max.request.size}, the broker's {@code message.max.bytes}),
     * and the key and the CloudEvents and trace headers need room beside the event. A larger event
     * could be committed to an outbox but never sent, and it would hold up every later event of
     * that outbox, so a publisher refuses it here, as it refuses an invalid one.
     */
    public static final int MAX_EVENT_BYTES = 1_000_000;

    /** The rule a larger event breaks, as its {@link Violation} names it. */
    public static final String SIZE_RULE = "size";

    private static final ObjectMapper MAPPER = CustomerEventJson.mapper();
    private static final ObjectWriter SORTED =
            MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

    private CustomerEventCodec() {}

    public static byte[] encode(CustomerEvent event) {
        JsonNode tree = MAPPER.valueToTree(event);
        requireValid(tree);
        requireCarriable(event);
        try {
            return requireCarriable(MAPPER.writeValueAsBytes(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree is always writable", e);
        }
    }

    /** The event with its JSON, validated: for a writer that must know before it writes else. */
    public static ValidEvent valid(CustomerEvent event) {
        return new ValidEvent(event, encode(event));
    }

    public static CustomerEvent decode(byte[] json) {
        return fromTree(readTree(json));
    }

    /**
     * Reads an event as published by {@code source}, whatever its body says of its source (absent,
     * or another name): the publisher's identity is the caller's to vouch for, not the body's. The
     * result carries the validated JSON, keys sorted, for writing it on without encoding it again.
     */
    public static ValidEvent decodeAs(byte[] json, String source) {
        return decodeAs(readTree(json), source);
    }

    /** The same, from a parsed tree (which it takes over and changes). */
    public static ValidEvent decodeAs(JsonNode tree, String source) {
        if (tree instanceof ObjectNode object) {
            object.put("source", source);
        }
        CustomerEvent event = fromTree(tree);
        // The id as the bus writes it everywhere else (lower-case hex), so that one event sent
        // with its id in either case is the same JSON, and the same content to a fingerprint.
        ((ObjectNode) tree).put("eventId", event.eventId().toString());
        try {
            return new ValidEvent(event, requireCarriable(SORTED.writeValueAsBytes(tree)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree is always writable", e);
        }
    }

    private static byte[] requireCarriable(byte[] json) {
        if (json.length > MAX_EVENT_BYTES) {
            throw new InvalidEventException(
                    new Violation(
                            "$",
                            SIZE_RULE,
                            "the event is "
                                    + json.length
                                    + " bytes of JSON; the bus carries events of at most "
                                    + MAX_EVENT_BYTES));
        }
        return json;
    }

    private static JsonNode readTree(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException(
                    new Violation("$", "json", "empty: there is no JSON to read"));
        }
        String notUtf8 = Utf8.problem(json);
        if (notUtf8 != null) {
            throw new InvalidEventException(
                    new Violation("$", "json", "not valid JSON: " + notUtf8));
        }
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException(
                    new Violation("$", "json", "not valid JSON: " + firstLine(e)));
        }
    }

    private static CustomerEvent fromTree(JsonNode tree) {
        requireValid(tree);
        CustomerEvent event;
        try {
            event = MAPPER.treeToValue(tree, CustomerEvent.class);
        } catch (MismatchedInputException e) {
            throw new InvalidEventException(new Violation(JsonPaths.of(e), "type", firstLine(e)));
        } catch (IOException e) {
            throw new InvalidEventException(new Violation("$", "json", firstLine(e)));
        }
        requireCarriable(event);
        return event;
    }

    private static void requireValid(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException(
                    new Violation("$", "type", "an event must be a JSON object"));
        }
        List<Violation> violations = new ArrayList<>(CustomerEventSchema.violations(tree));
        violations.addAll(CarriageRules.text(tree));
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
    }

    private static void requireCarriable(CustomerEvent event) {
        List<Violation> violations = CarriageRules.attributes(event);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
    }

    private static String firstLine(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
