package io.customerbus.cli;

import io.cloudevents.jackson.JsonFormat;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.cloudevents.CustomerCloudEvents;
import io.customerbus.events.json.CustomerEventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Publishes through the event gateway as any publishing system would: batches of structured
 * CloudEvents, each batch sent again after a 429 (when Retry-After says) or a failure — safe,
 * because the gateway accepts an eventId once.
 */
final class GatewayClient {

    static final String PATH = "/api/events/v1/events";
    private static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";
    private static final int ATTEMPTS = 10;
    private static final JsonFormat FORMAT = new JsonFormat();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String token;
    private final Duration timeout;

    GatewayClient(String gateway, String token, Duration timeout) {
        this.endpoint = URI.create(gateway.replaceAll("/+$", "") + PATH);
        this.token = token;
        this.timeout = timeout;
    }

    /** The body of one request: the events as a CloudEvents batch (structured JSON). */
    static String batchBody(List<CustomerEvent> events) {
        StringBuilder batch = new StringBuilder("[");
        for (CustomerEvent event : events) {
            if (batch.length() > 1) {
                batch.append(',');
            }
            byte[] body = CustomerEventCodec.encode(event);
            batch.append(
                    new String(
                            FORMAT.serialize(CustomerCloudEvents.of(event, body)),
                            StandardCharsets.UTF_8));
        }
        return batch.append(']').toString();
    }

    /** Sends one batch until the gateway accepts it; refusals other than 429 end the run. */
    void publish(List<CustomerEvent> events) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", BATCH_CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(batchBody(events)))
                        .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(Math.min(5_000, 200L * attempt));
                continue;
            }
            if (answer.statusCode() == 202) {
                return;
            }
            boolean retryable = answer.statusCode() == 429 || answer.statusCode() >= 500;
            if (!retryable || attempt == ATTEMPTS) {
                throw new IOException(
                        "the gateway answered " + answer.statusCode() + ": " + answer.body());
            }
            long wait =
                    answer.headers().firstValueAsLong("Retry-After").orElse(Math.min(5, attempt));
            Thread.sleep(wait * 1000);
        }
    }
}
