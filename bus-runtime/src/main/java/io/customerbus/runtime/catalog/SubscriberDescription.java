package io.customerbus.runtime.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.events.json.CustomerEventJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What a subscriber deployment says of itself on the catalog topic when it starts, so that tools
 * know what each one wants, not only which groups exist.
 *
 * @param name its short name (its topics are {@code customer-events.<name>.dlq|retry})
 * @param group the consumer group reading the bus: the catalog's key, one per deployment
 * @param types the event types it wants; {@code *} for all
 * @param startsFrom where a new deployment starts: {@code beginning} (the history) or {@code now}
 * @param deadLetterTopic where records it cannot process go
 * @param retryTopic its own retry topic, when it reads one (re-drives go there)
 * @param owner the team that runs it
 * @param service the application's name, and {@code version} its version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriberDescription(
        String name,
        String group,
        List<String> types,
        String startsFrom,
        String deadLetterTopic,
        String retryTopic,
        String owner,
        String service,
        String version,
        Instant describedAt) {

    private static final ObjectMapper JSON = CustomerEventJson.mapper();

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a description is always writable", e);
        }
    }

    /** A description read from the catalog, or null when the value is not one (skipped). */
    public static SubscriberDescription fromJson(byte[] json) {
        try {
            SubscriberDescription read = JSON.readValue(json, SubscriberDescription.class);
            return read.group() == null ? null : read;
        } catch (IOException e) {
            return null;
        }
    }
}
