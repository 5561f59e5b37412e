package io.customerbus.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.format.EmailFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The published JSON Schema of the event ({@value #RESOURCE}), loaded once and thread-safe. */
public final class CustomerEventSchema {

    /** Where the schema lives in the jar; publishers and tools may read it from there. */
    public static final String RESOURCE = "/schema/customer-event.schema.json";

    private static final Map<String, JsonSchema> BY_TYPE = new HashMap<>();
    private static final JsonSchema ENVELOPE;

    /** The keywords {@link #withDecimalBounds} rewrites; set before the schema is compiled. */
    private static final Set<String> BOUNDS =
            Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");

    static {
        JsonNode schema = withDecimalBounds(read());
        // The schema holds one if/then per event type. Evaluated as written, every "if" of the
        // other types fails for each event — and a failing "if" still builds its discarded error
        // messages, the larger part of validating. The same schema narrowed to the one branch the
        // event's type selects gives the same verdict and the same messages, for a fraction.
        ArrayNode common = JsonNodeFactory.instance.arrayNode();
        Map<String, JsonNode> branches = new HashMap<>();
        for (JsonNode part : schema.path("allOf")) {
            JsonNode type = part.path("if").path("properties").path("eventType").path("const");
            if (type.isTextual()) {
                branches.put(type.asText(), part);
            } else {
                common.add(part);
            }
        }
        ENVELOPE = compile(withAllOf(schema, common));
        branches.forEach(
                (type, branch) ->
                        BY_TYPE.put(
                                type, compile(withAllOf(schema, common.deepCopy().add(branch)))));
    }

    private CustomerEventSchema() {}

    /**
     * Whether a text is an email address as the schema's {@code format: email} takes it (an RFC
     * 5321 mailbox): for a publisher that adds an address it did not get from the client — a
     * token's claim — and must leave out one the event could not carry.
     */
    public static boolean isEmail(String text) {
        return text != null && text.length() <= MAX_EMAIL_LENGTH && EMAIL.matches(null, text);
    }

    /** The schema's {@code maxLength} of an address, checked first for the same reason. */
    private static final int MAX_EMAIL_LENGTH = 254;

    private static final EmailFormat EMAIL = new EmailFormat();

    /** Every violation of the schema, ordered by field; empty when the document is valid. */
    public static List<Violation> violations(JsonNode document) {
        JsonNode type = document.path("eventType");
        JsonSchema schema =
                type.isTextual() ? BY_TYPE.getOrDefault(type.asText(), ENVELOPE) : ENVELOPE;
        return schema.validate(document).stream()
                .map(CustomerEventSchema::toViolation)
                .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::rule))
                .toList();
    }

    private static Violation toViolation(ValidationMessage message) {
        String at = message.getInstanceLocation().toString();
        String field = at.equals("$") ? "" : at.substring(2);
        if (message.getProperty() != null && "required".equals(message.getType())) {
            field = field.isEmpty() ? message.getProperty() : field + "." + message.getProperty();
        }
        return new Violation(
                field.isEmpty() ? "$" : field, message.getType(), message.getMessage());
    }

    /**
     * The schema with each whole-number bound as a decimal of the same value. The validator
     * compares an integer against a whole-number bound as a {@code long}, and reads a decimal
     * instance there by {@link java.math.BigDecimal#longValue()}, which keeps the low 64 bits: a
     * quantity of -18446744073709551615.0 read as 1 and met {@code minimum: 1}. Against a decimal
     * bound it compares exactly.
     */
    private static JsonNode withDecimalBounds(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            object.fields()
                    .forEachRemaining(
                            field -> {
                                if (BOUNDS.contains(field.getKey())
                                        && field.getValue().isIntegralNumber()) {
                                    field.setValue(
                                            DecimalNode.valueOf(
                                                    new BigDecimal(
                                                            field.getValue().bigIntegerValue())));
                                } else {
                                    withDecimalBounds(field.getValue());
                                }
                            });
        } else if (schema instanceof ArrayNode array) {
            array.forEach(CustomerEventSchema::withDecimalBounds);
        }
        return schema;
    }

    private static JsonNode withAllOf(JsonNode schema, ArrayNode allOf) {
        ObjectNode narrowed = ((ObjectNode) schema).deepCopy();
        narrowed.remove("allOf");
        if (!allOf.isEmpty()) {
            narrowed.set("allOf", allOf);
        }
        return narrowed;
    }

    private static JsonSchema compile(JsonNode schema) {
        // Formats (uuid, date-time, email) are only annotations in 2020-12 unless asserted.
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_PATH)
                        .regularExpressionFactory(EcmaScriptEndAnchors.INSTANCE)
                        .build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema, config);
    }

    private static JsonNode read() {
        try (InputStream in = CustomerEventSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return CustomerEventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
