package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayBoundaryTest {

    @Test
    void travelsInCommittedOffsetMetadata() {
        ReplayBoundary boundary = new ReplayBoundary(42);

        assertThat(ReplayBoundary.parse(boundary.metadata())).contains(boundary);
        assertThat(boundary.covers(41)).isTrue();
        assertThat(boundary.covers(42)).isFalse();
    }

    @Test
    void aRewindAlsoRecordsWhereTheReplayBegan() {
        ReplayBoundary boundary = new ReplayBoundary(7, 42);

        assertThat(boundary.metadata()).isEqualTo("replay-until=42;replay-from=7");
        assertThat(ReplayBoundary.parse(boundary.metadata())).contains(boundary);
        assertThat(ReplayBoundary.parse("replay-until=42")).contains(new ReplayBoundary(-1, 42));
    }

    @Test
    void metadataWithoutABoundaryMeansLive() {
        assertThat(ReplayBoundary.parse("")).isEmpty();
        assertThat(ReplayBoundary.parse(null)).isEmpty();
        assertThat(ReplayBoundary.parse("something else")).isEmpty();
    }
}
