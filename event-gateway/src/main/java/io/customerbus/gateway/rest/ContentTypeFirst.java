package io.customerbus.gateway.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerbus.events.cloudevents.CustomerCloudEvents;
import java.io.IOException;

/**
 * Reads a structured CloudEvent's object and refuses a {@code datacontenttype} other than JSON
 * before the CloudEvents SDK looks at it.
 *
 * <p>The SDK's deserializer reads the event's object through its mapper's deserializer of {@link
 * ObjectNode} — this one, on the gateway's mapper — and then matches the content type against a
 * pattern that backtracks: a type holding a line break took time growing with the square of its
 * length (30,000 characters, 6 s of a core; a body of 1 MB, many minutes), for any publisher's
 * request. The type is refused here by the rule the bus applies to it afterwards anyway ({@link
 * CustomerCloudEvents#namesJson}), under which the SDK's pattern runs in one pass.
 */
final class ContentTypeFirst extends StdDeserializer<ObjectNode> {

    private static final String ATTRIBUTE = "datacontenttype";

    ContentTypeFirst() {
        super(ObjectNode.class);
    }

    @Override
    public ObjectNode deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        ObjectNode object =
                (ObjectNode)
                        JsonNodeDeserializer.getDeserializer(ObjectNode.class)
                                .deserialize(parser, context);
        JsonNode contentType = object.get(ATTRIBUTE);
        if (contentType != null
                && contentType.isTextual()
                && !CustomerCloudEvents.namesJson(contentType.textValue())) {
            throw CustomerCloudEvents.notJson(ATTRIBUTE, contentType.textValue());
        }
        return object;
    }
}
