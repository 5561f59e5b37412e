package io.customerbus.events.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.json.ValidEvent;
import io.customerbus.events.json.Violation;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The bus contract as a CloudEvent, whatever carries it (a Kafka record, an HTTP request): id =
 * eventId, type = eventType, source, time = occurredAt, subject = userId, and the data is the
 * common JSON event itself, so a reader needs nothing but the body and a CloudEvents tool needs
 * nothing but the attributes.
 */
public final class CustomerCloudEvents {

    public static final String JSON = "application/json";

    private CustomerCloudEvents() {}

    /** The CloudEvent of an event whose body was already validated and encoded. */
    public static CloudEvent of(CustomerEvent event, byte[] body) {
        return of(EventAttributes.of(event), body);
    }

    /** The same, from the event's attributes kept beside its body. */
    public static CloudEvent of(EventAttributes event, byte[] body) {
        return CloudEventBuilder.v1()
                .withId(event.eventId().toString())
                .withType(event.eventType())
                .withSource(URI.create(event.source()))
                .withTime(event.occurredAt().atOffset(ZoneOffset.UTC))
                .withSubject(event.userId())
                .withDataContentType(JSON)
                .withData(body)
                .build();
    }

    /**
     * The event a CloudEvent carries, validated against the schema; every violation — of the body,
     * or an attribute contradicting it — is in the {@link InvalidEventException}. Attributes are
     * named as the carrier names them: {@code prefix} is {@code ce_} on Kafka, {@code ce-} in HTTP
     * headers, empty in a JSON envelope. The event's source is the {@code publisher}'s name,
     * whatever the body and the source attribute say: who publishes is the carrier's to vouch for.
     */
    public static ValidEvent readAs(CloudEvent cloudEvent, String prefix, String publisher) {
        if (cloudEvent.getData() == null) {
            throw new InvalidEventException(
                    new Violation("data", "required", "the CloudEvent has no data (the event)"));
        }
        String contentType = cloudEvent.getDataContentType();
        if (contentType != null && !namesJson(contentType)) {
            throw notJson(prefix.isEmpty() ? "datacontenttype" : "content-type", contentType);
        }
        // Structured mode's JSON data arrives as a tree: validated as it is, not written and
        // re-read.
        ValidEvent valid =
                cloudEvent.getData() instanceof JsonCloudEventData json
                        ? CustomerEventCodec.decodeAs(json.getNode(), publisher)
                        : CustomerEventCodec.decodeAs(cloudEvent.getData().toBytes(), publisher);
        List<Violation> violations = inconsistencies(cloudEvent, valid.event(), prefix);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        return valid;
    }

    /**
     * Whether a data content type names the JSON the bus carries: {@code application/json}, with or
     * without parameters, written as a header is, without control characters or line breaks.
     */
    public static boolean namesJson(String contentType) {
        if (!contentType.regionMatches(true, 0, JSON, 0, JSON.length())) {
            return false;
        }
        for (int i = JSON.length(); i < contentType.length(); i++) {
            char c = contentType.charAt(i);
            if (c != '\t' && Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    /** The refusal of a content type other than JSON, quoting the start of a long one. */
    public static InvalidEventException notJson(String attribute, String contentType) {
        String quoted =
                contentType.length() <= 100
                        ? contentType
                        : contentType.substring(0, 100)
                                + "... ("
                                + contentType.length()
                                + " characters)";
        return new InvalidEventException(
                new Violation(
                        attribute, "contentType", "the data must be " + JSON + ", not " + quoted));
    }

    /**
     * Where the attributes contradict the body. The source is not compared: a carrier may have its
     * own idea of who published (the gateway puts the publisher's name there). An id is a UUID
     * whatever the case of its hex digits, and a time the instant it names whatever its offset.
     */
    public static List<Violation> inconsistencies(
            CloudEvent cloudEvent, CustomerEvent event, String prefix) {
        List<Violation> violations = new ArrayList<>();
        if (!event.eventId().toString().equalsIgnoreCase(cloudEvent.getId())) {
            violations.add(mismatch(prefix + "id", "eventId"));
        }
        if (cloudEvent.getTime() != null
                && !cloudEvent.getTime().toInstant().equals(event.occurredAt())) {
            violations.add(mismatch(prefix + "time", "occurredAt"));
        }
        if (!event.eventType().equals(cloudEvent.getType())) {
            violations.add(mismatch(prefix + "type", "eventType"));
        }
        if (cloudEvent.getSubject() != null && !cloudEvent.getSubject().equals(event.userId())) {
            violations.add(mismatch(prefix + "subject", "userId"));
        }
        return violations;
    }

    private static Violation mismatch(String attribute, String field) {
        return new Violation(
                attribute, "consistency", "attribute does not match the body's " + field);
    }
}
