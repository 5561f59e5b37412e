package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment as './platform up' starts it (start_service of local/lib/services.sh): its first run
 * after a build writes the classes it loaded to a class archive as it stops, and its next start
 * maps them instead of loading them from the jars (docs/performance.md: Time to ready).
 */
class ClassArchiveIT {

    private static final String SERVICE = "bus-console";

    private TestPlatform platform;
    private Path home;
    private int port;

    @BeforeEach
    void platform() throws Exception {
        platform = new TestPlatform();
        // As /proc names the files a process maps: without a symbolic link on the way.
        home = Files.createTempDirectory("systest-platform-home-").toRealPath();
        port = Ports.free();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            platformScript("stop_process \"$PLATFORM_HOME\" " + SERVICE);
        } finally {
            platform.close();
            Platform.deleteTree(home);
        }
    }

    @Test
    void aDeploymentsNextStartMapsTheClassesItsFirstRunArchivedAsItStopped() throws Exception {
        Path archive = home.resolve("cds").resolve(SERVICE + ".jsa");

        start();
        assertThat(archive).as("written as the first run stops, not before").doesNotExist();
        assertThat(mappedFiles()).doesNotContain(archive.toString());

        platformScript("stop_process \"$PLATFORM_HOME\" " + SERVICE);
        assertThat(archive).isNotEmptyFile();

        start();
        assertThat(mappedFiles()).contains(archive.toString());
    }

    /** start_service waits for the console's readiness and fails if it never comes. */
    private void start() throws Exception {
        platformScript(
                "start_service \"$PLATFORM_HOME\" \"$ROOT/"
                        + SERVICE
                        + "\" "
                        + SERVICE
                        + " "
                        + port
                        + " MP_JWT_VERIFY_PUBLICKEY_LOCATION="
                        + platform.tokens().publicKeyFile());
    }

    /** What the running deployment's JVM has mapped: its jars, libraries and archives. */
    private String mappedFiles() throws IOException {
        String pid = Files.readString(home.resolve("run").resolve(SERVICE + ".pid")).strip();
        return Files.readString(Path.of("/proc", pid, "maps"));
    }

    /** Runs a command with the platform scripts' functions, on this test's home and broker. */
    private void platformScript(String command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                                "bash",
                                "-c",
                                "source local/lib/common.sh && source local/lib/services.sh && "
                                        + command)
                        .directory(Platform.root().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(home.resolve("script.log").toFile());
        builder.environment().put("PLATFORM_HOME", home.toString());
        builder.environment().put("KAFKA_BOOTSTRAP", platform.kafka().bootstrapServers());
        // The archive as 'up' uses it by default, whatever the developer's shell turned off.
        builder.environment().remove("SERVICE_CDS");
        builder.environment().remove("SERVICE_JAVA_OPTS");
        Process process = builder.start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(process.exitValue())
                .as(command + "\n" + Files.readString(home.resolve("script.log")))
                .isZero();
    }
}
