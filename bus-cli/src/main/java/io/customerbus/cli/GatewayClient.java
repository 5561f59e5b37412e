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
    private static final int ATTEMPTS = 10;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonFormat format = new JsonFormat();
    private final URI endpoint;
    private final String token;
    private final Duration timeout;

    GatewayClient(String gateway, String token, Duration timeout) {
        this.endpoint = URI.create(gateway.replaceAll("/+$", "") + PATH);
        this.token = token;
        this.timeout = timeout;
    }

    /** Sends one batch until the gateway accepts it; refusals other than 429 end the run. */
    void publish(List<CustomerEvent> events) throws IOException, InterruptedException {
        StringBuilder batch = new StringBuilder("[");
        for (CustomerEvent event : events) {
            if (batch.length() > 1) {
                batch.append(',');
            }
            byte[] body = CustomerEventCodec.encode(event);
            batch.append(
                    new String(
                            format.serialize(CustomerCloudEvents.of(event, body)),
                            StandardCharsets.UTF_8));
        }
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/cloudevents-batch+json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch.append(']').toString()))
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
