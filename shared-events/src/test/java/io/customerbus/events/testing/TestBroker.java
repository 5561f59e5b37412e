package io.customerbus.events.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The broker a service's Quarkus test works on: the one its application is connected to — the
 * broker ./platform test started (KAFKA_BOOTSTRAP_SERVERS, profile "local"), or the one Quarkus Dev
 * Services started where Docker runs. Read when needed, never in a static initialiser: Dev Services
 * set it only once the test application is being started.
 */
public final class TestBroker {

    private TestBroker() {}

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
