package io.customerbus.systemtest;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Where the repository is, waiting for ports, and removing a test's own directories. */
final class Platform {

    private Platform() {}

    /** Deletes a directory a test made (a server's data, a platform home) with all it holds. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static Path root() {
        return Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Every subscriber's own topics (DLQ, retry), as the services declare them in their
     * platform.env for ./platform — the same list, so a test broker never lacks one.
     */
    static List<String> declaredTopics() throws IOException {
        try (Stream<Path> modules = Files.list(root())) {
            List<Path> declarations =
                    modules.map(m -> m.resolve("platform.env"))
                            .filter(Files::isRegularFile)
                            .toList();
            List<String> topics = new ArrayList<>();
            for (Path declaration : declarations) {
                for (String line : Files.readAllLines(declaration)) {
                    if (line.startsWith("SERVICE_TOPICS=")) {
                        String value = line.substring("SERVICE_TOPICS=".length()).replace("\"", "");
                        Arrays.stream(value.trim().split("\\s+"))
                                .filter(topic -> !topic.isEmpty())
                                .forEach(topics::add);
                    }
                }
            }
            return topics;
        }
    }

    static void awaitPort(int port, Duration timeout) {
        Awaitility.await("port " + port)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> isOpen(port));
    }

    private static boolean isOpen(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
