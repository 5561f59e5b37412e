package io.customerbus.events.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerbus.events.CustomerEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The released fixtures guard schema evolution: old events are replayed forever, so every valid
 * fixture must stay readable and every invalid one must keep failing with the declared error.
 */
class GoldenFixturesTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void validFixtureDecodesAndSurvivesARoundTrip(Path fixture) throws IOException {
        CustomerEvent event = CustomerEventCodec.decode(Files.readAllBytes(fixture));

        assertThat(event.eventType()).isNotBlank();
        assertThat(CustomerEventCodec.decode(CustomerEventCodec.encode(event))).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void invalidFixtureFailsWithTheDeclaredFieldAndRule(Path fixture) throws IOException {
        byte[] body = Files.readAllBytes(fixture);
        List<String> expected = expectedErrors(fixture);

        assertThatThrownBy(() -> CustomerEventCodec.decode(body))
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        e ->
                                assertThat(
                                                e.violations().stream()
                                                        .map(v -> v.field() + " " + v.rule())
                                                        .distinct())
                                        .as(e.getMessage())
                                        .containsExactlyInAnyOrderElementsOf(expected));
    }

    static Stream<Path> validFixtures() throws Exception {
        return fixtures("valid");
    }

    static Stream<Path> invalidFixtures() throws Exception {
        return fixtures("invalid");
    }

    private static Stream<Path> fixtures(String kind) throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenFixturesTest.class.getResource("/events/" + kind).toURI());
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("fixtures in " + dir).isNotEmpty();
        return files.stream();
    }

    private static List<String> expectedErrors(Path fixture) throws IOException {
        Path error = Path.of(fixture.toString().replaceFirst("\\.json$", ".error"));
        return Files.readAllLines(error).stream().filter(line -> !line.isBlank()).toList();
    }
}
