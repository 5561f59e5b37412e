package io.customerbus.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server process of the test's own (GreenMail standalone, the jar ./platform runs),
 * which a test can take away and bring back — as a provider's outage would — and whose received
 * messages it reads back. A restarted server starts with empty mailboxes.
 */
final class LocalSmtp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SUBJECT = Pattern.compile("\"subject\"\\s*:\\s*\"([^\"]*)\"");

    private final int port = Ports.free();
    private final int apiPort = Ports.free();
    private final Path log;
    private Process server;

    LocalSmtp() throws IOException {
        log = Files.createTempFile("systest-smtp-", ".log");
        start();
    }

    int port() {
        return port;
    }

    void start() throws IOException {
        server =
                new ProcessBuilder(
                                "java",
                                "-Xmx128m",
                                "-Dgreenmail.smtp.hostname=127.0.0.1",
                                "-Dgreenmail.smtp.port=" + port,
                                "-Dgreenmail.api.hostname=127.0.0.1",
                                "-Dgreenmail.api.port=" + apiPort,
                                "-Dgreenmail.auth.disabled",
                                "-jar",
                                Platform.root()
                                        .resolve("local/smtp/target/lib/greenmail-standalone.jar")
                                        .toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        Platform.awaitPort(port, Duration.ofSeconds(30));
        Platform.awaitPort(apiPort, Duration.ofSeconds(30));
    }

    /** The provider is gone: connections are refused. */
    void stop() throws InterruptedException {
        server.destroyForcibly().waitFor();
    }

    /** The subjects of the messages delivered to an address. */
    List<String> subjects(String address) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + apiPort
                                                        + "/api/user/"
                                                        + URLEncoder.encode(
                                                                address, StandardCharsets.UTF_8)
                                                        + "/messages/INBOX/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return List.of(); // no mailbox: nothing delivered to that address
        }
        Matcher subject = SUBJECT.matcher(response.body());
        List<String> subjects = new java.util.ArrayList<>();
        while (subject.find()) {
            subjects.add(subject.group(1));
        }
        return subjects;
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            stop();
        }
    }
}
