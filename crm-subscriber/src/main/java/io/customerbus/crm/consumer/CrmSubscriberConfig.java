package io.customerbus.crm.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this CRM deployment reads the bus (env CRM_GROUP, CRM_AUTO_OFFSET_RESET). */
@ConfigMapping(prefix = "crm.subscriber")
public interface CrmSubscriberConfig {

    /** A second CRM (the replay story) is this service with another group and database. */
    String groupId();

    @WithDefault("earliest")
    String autoOffsetReset();

    /** The CRM keeps every type, known or not: its timeline is the customer's whole history. */
    @WithDefault("*")
    String types();

    /**
     * A ceiling in events per second (0: none), so that replaying the whole history into a store
     * that also serves agents does not starve them.
     */
    @WithDefault("0")
    double maxEventsPerSecond();

    /** Large batches amortise each COPY and commit; measured best on the replay benchmark. */
    @WithDefault("5000")
    int maxPollRecords();
}
