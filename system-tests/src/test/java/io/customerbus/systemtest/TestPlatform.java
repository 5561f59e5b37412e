package io.customerbus.systemtest;

import java.nio.file.Path;
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
        this(new LocalKafka());
    }

    private TestPlatform(LocalKafka kafka) throws Exception {
        this.kafka = kafka;
        try {
            smtp = new LocalSmtp();
            tokens = new Tokens();
        } catch (Exception e) {
            kafka.close(); // a broker nobody would stop otherwise
            throw e;
        }
    }

    /** On a 3-broker cluster (LocalKafka.cluster()), for faults a cluster must survive. */
    static TestPlatform cluster() throws Exception {
        return new TestPlatform(LocalKafka.cluster());
    }

    /** On a secured broker: each service connects as its own Kafka user (LocalKafka.secured()). */
    static TestPlatform secured() throws Exception {
        return new TestPlatform(LocalKafka.secured());
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
        return start(module, module, own);
    }

    /**
     * A deployment of a module that is a Kafka user of its own on a secured broker (its KafkaUser's
     * name, e.g. crm-v2 for the second CRM).
     */
    ServiceProcess start(String module, String kafkaUser, Map<String, String> own)
            throws Exception {
        return start(Platform.root(), module, kafkaUser, own);
    }

    /** A module of another checkout, e.g. a subscriber a team generated in its own. */
    ServiceProcess start(Path root, String module, String kafkaUser, Map<String, String> own)
            throws Exception {
        Map<String, String> env = new HashMap<>(own);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.putAll(kafka.clientEnv(kafkaUser));
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens.publicKeyFile().toString());
        ServiceProcess service = new ServiceProcess(root, module, env).start();
        services.add(service);
        return service;
    }

    /**
     * A module on a PostgreSQL of the test's own, in a new database of it ({@code databaseVariable}
     * names it for the module), with a pool of 8 (a load's clients, the relay and its listener):
     * for a test that stops that server.
     */
    ServiceProcess startOn(
            LocalPostgres postgres, String module, String databaseVariable, String database)
            throws Exception {
        PurchaseDatabase.recreate(postgres.port(), database);
        return start(
                module,
                Map.of(
                        "PGPORT",
                        Integer.toString(postgres.port()),
                        databaseVariable,
                        database,
                        "DB_POOL_SIZE",
                        "8"));
    }

    /**
     * purchase-service on the test database (PurchaseDatabase), with a pool small enough for the
     * shared PostgreSQL while other services run too — as the load tests start it.
     */
    ServiceProcess startPurchases() throws Exception {
        return start(
                "purchase-service",
                Map.of("PURCHASES_DB", PurchaseDatabase.NAME, "DB_POOL_SIZE", "8"));
    }

    /** The operators' CLI; on a secured broker as its own user, bus-cli. */
    BusCli cli() throws Exception {
        return new BusCli(kafka.bootstrapServers(), kafka.clientEnv("bus-cli"));
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
