package io.customerbus.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void carriesTraceparentAndTracestateThroughHeaders() {
        RecordHeaders headers = new RecordHeaders();
        new TraceContext(PARENT, "congo=t61rcWkgMzE").writeTo(headers);

        TraceContext read = TraceContext.readFrom(headers).orElseThrow();

        assertThat(read.traceparent()).isEqualTo(PARENT);
        assertThat(read.tracestate()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(read.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void malformedOrAllZeroTraceparentIsIgnored() {
        assertThat(TraceContext.parse("not-a-trace", null)).isEmpty();
        assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", null))
                .isEmpty();
        assertThat(
                        TraceContext.parse(
                                "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01",
                                null))
                .isEmpty();
        assertThat(TraceContext.parse(PARENT.toUpperCase(), null)).isEmpty();
        assertThat(TraceContext.parse("ff" + PARENT.substring(2), null)).isEmpty();
        assertThat(TraceContext.parse(PARENT + "-extra", null)).isEmpty();
        assertThat(TraceContext.parse(PARENT.substring(0, 54), null)).isEmpty();
        assertThat(TraceContext.parse(null, "congo=t61rcWkgMzE")).isEmpty();
        assertThat(TraceContext.readFrom(new RecordHeaders())).isEmpty();
    }

    @Test
    void everySingleCharacterOutOfPlaceIsRefused() {
        for (int i = 0; i < PARENT.length(); i++) {
            boolean separator = PARENT.charAt(i) == '-';
            for (char wrong : separator ? new char[] {'0', '_', 'a'} : new char[] {'-', 'g', 'A'}) {
                String traceparent = PARENT.substring(0, i) + wrong + PARENT.substring(i + 1);
                assertThat(TraceContext.parse(traceparent, null)).as(traceparent).isEmpty();
            }
        }
    }

    @Test
    void otherVersionsAndFlagsAreAccepted() {
        String later = "01" + PARENT.substring(2, 53) + "00";
        assertThat(TraceContext.parse(later, null)).map(TraceContext::traceparent).contains(later);
    }
}
