package io.customerbus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerbus.events.json.CustomerEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record as people read it (position, time, key, every header, the body pretty-printed) or as
 * scripts read it (one JSON object per line). A body that is not JSON is shown as text.
 */
final class RecordPrinter {

    private static final ObjectMapper mapper = CustomerEventJson.mapper();

    private RecordPrinter() {}

    static String pretty(ConsumerRecord<String, byte[]> record) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "── %s-%d@%d  %s  key=%s%n",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        Instant.ofEpochMilli(record.timestamp()),
                        record.key()));
        for (Header header : record.headers()) {
            out.append("   ")
                    .append(header.key())
                    .append(": ")
                    .append(text(header.value()))
                    .append(System.lineSeparator());
        }
        JsonNode body = body(record.value());
        out.append(
                body.isTextual()
                        ? "   (not JSON) " + body.asText()
                        : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        return out.toString();
    }

    static String line(ConsumerRecord<String, byte[]> record) throws JsonProcessingException {
        ObjectNode line = mapper.createObjectNode();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        line.put("key", record.key());
        ObjectNode headers = line.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), text(header.value()));
        }
        line.set("value", body(record.value()));
        return mapper.writeValueAsString(line);
    }

    /** The body as JSON, or as text when it is not JSON (poison records are shown too). */
    private static JsonNode body(byte[] value) {
        if (value == null) {
            return mapper.getNodeFactory().textNode("(null)");
        }
        try {
            return mapper.readTree(value);
        } catch (java.io.IOException e) {
            return mapper.getNodeFactory().textNode(text(value));
        }
    }

    private static String text(byte[] value) {
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }
}
