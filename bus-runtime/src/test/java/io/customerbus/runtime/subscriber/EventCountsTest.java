package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.runtime.subscriber.EventCounts.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCountsTest {

    @Test
    void eachOutcomeAndTypeIsAnnouncedOnceIncludingThoseSeenBeforeTheListener() {
        EventCounts counts = new EventCounts();
        counts.add(Outcome.APPLIED, "purchase", 3);
        List<String> announced = new ArrayList<>();

        counts.onFirstSeen((outcome, type) -> announced.add(outcome.tag() + " " + type));
        counts.add(Outcome.APPLIED, "purchase", 2);
        counts.add(Outcome.SKIPPED, "support-call", 1);
        counts.add(Outcome.SKIPPED, "support-call", 1);
        counts.add(Outcome.DEAD_LETTERED, null, 1);

        assertThat(announced)
                .containsExactly(
                        "applied purchase", "skipped support-call", "dead-lettered unknown");
        assertThat(counts.get(Outcome.APPLIED, "purchase")).isEqualTo(5);
        assertThat(counts.get(Outcome.SKIPPED, "support-call")).isEqualTo(2);
        assertThat(counts.get(Outcome.DEAD_LETTERED, EventCounts.UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(counts.get(Outcome.SKIPPED, "purchase")).isZero();
        assertThat(counts.total(Outcome.SKIPPED)).isEqualTo(2);
        assertThat(counts.total(Outcome.APPLIED)).isEqualTo(5);
    }

    @Test
    void typesAreBoundedSoMetricSeriesAre() {
        EventCounts counts = new EventCounts();
        for (int i = 0; i < EventCounts.MAX_TYPES + 5; i++) {
            counts.add(Outcome.SKIPPED, "type-" + i, 1);
        }
        counts.add(Outcome.DEAD_LETTERED, "Not A Type", 1);

        assertThat(counts.get(Outcome.SKIPPED, "type-0")).isEqualTo(1);
        assertThat(counts.get(Outcome.SKIPPED, EventCounts.OTHER_TYPE)).isEqualTo(5);
        assertThat(counts.get(Outcome.DEAD_LETTERED, EventCounts.UNKNOWN_TYPE)).isEqualTo(1);
    }
}
