package io.customerbus.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A redis-server of the test's own, persisting as a production store would (append-only file, fsync
 * every second), for faults the machine's Redis must never see: SIGKILL and a restart that loads
 * what the file holds.
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
     * read the file back, which clients treat as any other passing failure.
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
                        "yes",
                        "--appendfsync",
                        "everysec",
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

    /** SIGKILL: no shutdown, no final fsync. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
