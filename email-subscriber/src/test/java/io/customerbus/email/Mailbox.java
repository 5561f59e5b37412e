package io.customerbus.email;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerbus.events.json.CustomerEventJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the real SMTP server ({@link SmtpServer}) received, through its API. */
final class Mailbox {

    record Message(String subject, String mime) {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Mailbox() {}

    static List<Message> of(String address) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                ConfigProvider.getConfig()
                                                                .getValue(
                                                                        SmtpServer.API,
                                                                        String.class)
                                                        + "/api/user/"
                                                        + URLEncoder.encode(
                                                                address, StandardCharsets.UTF_8)
                                                        + "/messages/INBOX/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        List<Message> messages = new ArrayList<>();
        if (response.statusCode() == 400 && response.body().contains("not found")) {
            return messages; // no mailbox yet: nothing was delivered to that address
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SMTP server API: " + response.body());
        }
        JsonNode list = CustomerEventJson.mapper().readTree(response.body());
        for (JsonNode message : list) {
            messages.add(
                    new Message(
                            message.path("subject").asText(),
                            message.path("mimeMessage").asText()));
        }
        return messages;
    }
}
