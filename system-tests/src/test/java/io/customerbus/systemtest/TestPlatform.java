package io.customerbus.systemtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A platform of a test's own: a broker, an SMTP server, a key pair for tokens, and the service
 * processes the test starts on them. Closed after each test: services first, then the servers.
 */
final class TestPlatform implements AutoCloseable {

    private final LocalKafka kafka;
    private final LocalSmtp smtp;
    private final Tokens tokens;
    private final List<ServiceProcess> services = new ArrayList<>();

    TestPlatform() throws Exception {
        kafka = new LocalKafka();
        smtp = new LocalSmtp();
        tokens = new Tokens();
    }

    LocalKafka kafka() {
        return kafka;
    }

    LocalSmtp smtp() {
        return smtp;
    }

    Tokens tokens() {
        return tokens;
    }

    /** Starts a packaged service on this platform's broker, trusting its tokens. */
    ServiceProcess start(String module, Map<String, String> own) throws Exception {
        Map<String, String> env = new HashMap<>(own);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens.publicKeyFile().toString());
        ServiceProcess service = new ServiceProcess(module, env).start();
        services.add(service);
        return service;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        smtp.close();
        kafka.close();
    }
}
