package io.customerbus.systemtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A redis-server of the test's own, for faults the machine's Redis must never see: SIGKILL, and a
 * restart that loads the last snapshot the test asked for — so it comes back with exactly the
 * writes it had then, and without every one it acknowledged since.
 */
final class LocalRedis implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    LocalRedis() throws IOException {
        dir = Files.createTempDirectory("systest-redis-");
        port = Ports.free();
        start();
    }

    int port() {
        return port;
    }

    /**
     * Starts the server on the same files; returns once it listens. It answers LOADING until it has
     * read the snapshot back, which clients treat as any other passing failure.
     */
    void start() throws IOException {
        List<String> command =
                List.of(
                        "redis-server",
                        "--bind",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--dir",
                        dir.toString(),
                        "--appendonly",
                        "no",
                        "--save",
                        "");
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                        .start();
        Platform.awaitPort(port, Duration.ofSeconds(30));
    }

    /** Writes the snapshot the next start loads (SAVE: done when it answers). */
    void save() throws IOException {
        command("SAVE");
    }

    /** Sends an inline command, as an operator would with redis-cli, and requires +OK. */
    void command(String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply =
                    new BufferedReader(
                                    new InputStreamReader(
                                            socket.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            if (!"+OK".equals(reply)) {
                throw new IOException("redis-server answered " + line + " with " + reply);
            }
        }
    }

    /** SIGKILL: no shutdown, nothing saved. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        Platform.deleteTree(dir);
    }
}
