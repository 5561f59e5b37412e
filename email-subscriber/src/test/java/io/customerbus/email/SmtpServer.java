package io.customerbus.email;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The real SMTP server the email tests send to and read back from (GreenMail): the one ./platform
 * test runs (profile "local": SMTP_PORT, SMTP_API_PORT), or, where Quarkus Dev Services provide the
 * other servers, a GreenMail container started here — Quarkus has no Dev Service for SMTP. The
 * image is the GreenMail release ./platform runs as a jar.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    /** Where {@link Mailbox} reads what the server received. */
    static final String API = "test.smtp.api";

    private static final String IMAGE = "greenmail/standalone:2.1.8";
    private static final int SMTP = 3025;
    private static final int HTTP_API = 8080;

    private GenericContainer<?> container;

    @Override
    public Map<String, String> start() {
        if (localServers()) {
            return Map.of(
                    API,
                    "http://127.0.0.1:" + System.getenv().getOrDefault("SMTP_API_PORT", "8025"));
        }
        container =
                new GenericContainer<>(DockerImageName.parse(IMAGE))
                        .withExposedPorts(SMTP, HTTP_API)
                        .waitingFor(
                                Wait.forHttp("/api/service/readiness")
                                        .forPort(HTTP_API)
                                        .forStatusCode(200));
        container.start();
        return Map.of(
                "quarkus.mailer.host",
                container.getHost(),
                "quarkus.mailer.port",
                String.valueOf(container.getMappedPort(SMTP)),
                API,
                "http://" + container.getHost() + ":" + container.getMappedPort(HTTP_API));
    }

    /** ./platform test runs the Quarkus tests in the "local" profile, on its own servers. */
    private static boolean localServers() {
        return List.of(System.getProperty("quarkus.test.profile", "").split(",")).contains("local");
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
    }
}
