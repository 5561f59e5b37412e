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
    void metadataWithoutABoundaryMeansLive() {
        assertThat(ReplayBoundary.parse("")).isEmpty();
        assertThat(ReplayBoundary.parse(null)).isEmpty();
        assertThat(ReplayBoundary.parse("something else")).isEmpty();
    }
}
