package io.customerbus.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** The published JSON Schema of the event ({@value #RESOURCE}), loaded once and thread-safe. */
public final class CustomerEventSchema {

    /** Where the schema lives in the jar; publishers and tools may read it from there. */
    public static final String RESOURCE = "/schema/customer-event.schema.json";

    private static final JsonSchema SCHEMA = load();

    private CustomerEventSchema() {}

    /** Every violation of the schema, ordered by field; empty when the document is valid. */
    public static List<Violation> violations(JsonNode document) {
        return SCHEMA.validate(document).stream()
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

    private static JsonSchema load() {
        // Formats (uuid, date-time, email) are only annotations in 2020-12 unless asserted.
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_PATH)
                        .build();
        try (InputStream in = CustomerEventSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode schema = CustomerEventJson.mapper().readTree(in);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
