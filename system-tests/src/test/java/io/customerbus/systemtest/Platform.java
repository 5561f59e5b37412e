package io.customerbus.systemtest;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Where the repository is, and waiting for ports. */
final class Platform {

    private Platform() {}

    static Path root() {
        return Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
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
