package io.customerbus.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventTypeFilterTest {

    @Test
    void acceptsOnlyTheDeclaredTypes() {
        EventTypeFilter filter = EventTypeFilter.parse(" purchase, account-created ");

        assertThat(filter.accepts("purchase")).isTrue();
        assertThat(filter.accepts("account-created")).isTrue();
        assertThat(filter.accepts("refund")).isFalse();
        assertThat(filter.accepts(headers("support-call"))).isFalse();
        assertThat(filter).hasToString("account-created,purchase");
    }

    @Test
    void starOrNothingMeansEveryTypeIncludingUnknownOnes() {
        assertThat(EventTypeFilter.parse("*").accepts("loyalty-points-earned")).isTrue();
        assertThat(EventTypeFilter.parse("").acceptsAll()).isTrue();
    }

    @Test
    void recordWithoutTypeHeaderIsPassedOnToBeDeadLettered() {
        assertThat(EventTypeFilter.parse("purchase").accepts(new RecordHeaders())).isTrue();
    }

    private static RecordHeaders headers(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
