package io.customerbus.crm.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void rowsAreTabSeparatedWithNullsAndTheFourSpecialBytesEscaped() throws Exception {
        CopyRows rows = new CopyRows(1);
        rows.text("plain").text(null).text("a\\b\tc\nd\re").endRow();
        rows.bytes("{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8)).text("\\").endRow();

        assertThat(new String(rows.stream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("plain\t\\N\ta\\\\b\\tc\\nd\\re\n{\"k\":\"v\"}\t\\\\\n");
    }

    @Test
    void growsPastItsFirstGuess() throws Exception {
        CopyRows rows = new CopyRows(1);
        String big = "x".repeat(5_000);
        for (int i = 0; i < 3; i++) {
            rows.text(big).endRow();
        }

        assertThat(rows.stream().readAllBytes()).hasSize(3 * 5_001);
    }
}
