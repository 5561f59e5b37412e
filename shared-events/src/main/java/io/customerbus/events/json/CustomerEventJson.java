package io.customerbus.events.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/** The one Jackson configuration for events, so every service reads and writes them alike. */
public final class CustomerEventJson {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    // Registered after the JavaTimeModule: it takes precedence for Instant.
                    .addModule(
                            new SimpleModule()
                                    .addDeserializer(Instant.class, new Rfc3339Instants()))
                    // Readers ignore what they do not know: evolution is additive.
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    // Money stays exact: 19.99 must not become 19.989999...
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    // ...and as written: a tree keeps 19.00, not 19.
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    // A body is one event: a second one after it (NDJSON) would be dropped unread.
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private CustomerEventJson() {}

    /** The shared, thread-safe mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
