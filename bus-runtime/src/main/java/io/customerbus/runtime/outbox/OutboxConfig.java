package io.customerbus.runtime.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the outbox relay (env vars BUS_OUTBOX_*). A service that publishes opts in at build
 * time with {@code bus.outbox.enabled=true}; other users of shared-events (subscribers, the CLI)
 * get none of the outbox beans and need no datasource.
 */
@ConfigMapping(prefix = "bus.outbox")
public interface OutboxConfig {

    String ENABLED = "bus.outbox.enabled";

    /** Read at build time (see {@link #ENABLED}); declared so that the mapping knows the key. */
    @WithDefault("false")
    boolean enabled();

    /** Off only for tools that write events but leave publishing to another process. */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * Customers are spread over this many slots, each published by one relay at a time. Every
     * replica must use the same value; change it only with an empty outbox.
     */
    @WithDefault("16")
    int slots();

    /** Rows published per round trip to the broker. */
    @WithDefault("500")
    int batchSize();

    /**
     * At most this many bytes of events per batch, beyond the first event past them: a batch of
     * {@link #batchSize()} events of up to 1 MB each (what the contract allows) would take the
     * relay's memory several times over (the rows, the records, the producer's buffer), while 500
     * purchases are ~250 KB.
     */
    @WithDefault("4194304")
    int batchMaxBytes();

    /**
     * The shortest time between two Kafka transactions: rows committed closer together go out in
     * one. A transaction costs the broker several round trips and a marker on every partition it
     * wrote to (each marker wakes every consumer), so under load one per purchase would cost more
     * than the purchases; an event after a quiet spell is not delayed (see {@link BatchPacing}).
     */
    @WithDefault("PT0.005S")
    Duration batchInterval();

    /**
     * The longest: at low rates the relay waits, up to this long after a transaction, for {@link
     * #batchIntervalEvents()} more commits to share the next one. Equal to {@link
     * #batchInterval()}, the interval is fixed.
     */
    @WithDefault("PT0.02S")
    Duration batchIntervalMax();

    /** The interval is the time this many commits take at the recent rate, between the two. */
    @WithDefault("5")
    int batchIntervalEvents();

    /**
     * The safety net: how often a relay looks for rows it was not woken up for (another replica's
     * commit it missed, a slot it just took over, a broker that came back).
     */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /**
     * How often the relay vacuums the outbox when it has deleted rows since: a queue table's dead
     * rows slow down every read of the pending ones, and autovacuum may be off or behind (it is off
     * on the development machine's PostgreSQL).
     */
    @WithDefault("PT10S")
    Duration vacuumInterval();

    /** Who publishes: the Kafka client id, and the source in log lines. */
    @WithDefault("outbox")
    String clientId();

    @WithDefault("customer-events")
    String topic();
}
