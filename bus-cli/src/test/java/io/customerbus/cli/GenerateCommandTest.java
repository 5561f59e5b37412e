package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.customerbus.events.EventTypes;
import io.customerbus.events.cloudevents.CustomerCloudEvents;
import io.customerbus.events.kafka.BusRecord;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.EventTypeFilter;
import io.customerbus.events.testing.BusProbe;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat FORMAT = new JsonFormat();

    @Test
    void publishesSchemaValidEventsOfEveryTypeForTheGivenCustomers(QuarkusMainLauncher launcher) {
        String prefix = "gen-" + UUID.randomUUID() + "-";
        List<BusRecord.Wanted> generated = new ArrayList<>();
        String output;
        try (BusProbe bus = new BusProbe()) {
            LaunchResult result =
                    launcher.launch(
                            "generate",
                            "-b",
                            TestBus.BOOTSTRAP,
                            "--count",
                            "400",
                            "--customers",
                            "7",
                            "--user-prefix",
                            prefix);

            assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(result.getOutput()).contains("published 400 events");
            output = result.getOutput();
            for (ConsumerRecord<String, byte[]> record : bus.readToEnd()) {
                if (record.key().startsWith(prefix)) {
                    // decode validates against the schema: an invalid event would throw
                    generated.add(
                            (BusRecord.Wanted)
                                    BusRecordCodec.decode(record, EventTypeFilter.parse("*")));
                }
            }
        }
        assertThat(generated).hasSize(400);
        Set<String> types = new HashSet<>();
        Set<String> users = new HashSet<>();
        generated.forEach(
                wanted -> {
                    types.add(wanted.event().eventType());
                    users.add(wanted.event().userId());
                });
        assertThat(types).containsExactlyInAnyOrderElementsOf(EventTypes.KNOWN);
        assertThat(users).hasSizeLessThanOrEqualTo(7).allMatch(u -> u.startsWith(prefix));
        // The mix it printed is the mix on the bus; purchases carry the buyer's address, as
        // purchase-service writes them (the email subscriber's order confirmations).
        Map<String, Long> onTheBus = new TreeMap<>();
        generated.forEach(wanted -> onTheBus.merge(wanted.event().eventType(), 1L, Long::sum));
        onTheBus.forEach(
                (type, n) -> assertThat(output).containsPattern("(?m)^  " + type + " +" + n + "$"));
        assertThat(generated)
                .map(BusRecord.Wanted::event)
                .filteredOn(event -> event.eventType().equals(EventTypes.PURCHASE))
                .allMatch(
                        event -> (event.userId() + "@example.com").equals(event.dataText("email")));
    }

    @Test
    void writesTheGatewaysRequestBodiesIntoFiles(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory("generate-out");
        LaunchResult result =
                launcher.launch(
                        "generate", "--count", "5", "--batch", "2", "--out", dir.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(result.getOutput()).contains("wrote 5 events");
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertThat(files)
                .extracting(file -> file.getFileName().toString())
                .containsExactly("batch-000001.json", "batch-000002.json", "batch-000003.json");
        List<Integer> sizes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            JsonNode batch = JSON.readTree(file.toFile());
            sizes.add(batch.size());
            for (JsonNode item : batch) {
                // readAs validates against the schema and checks the attributes against the body
                CloudEvent cloudEvent = FORMAT.deserialize(JSON.writeValueAsBytes(item));
                String eventId =
                        CustomerCloudEvents.readAs(cloudEvent, "", "bus-generate")
                                .event()
                                .eventId()
                                .toString();
                assertThat(cloudEvent.getId()).isEqualTo(eventId);
                ids.add(eventId);
            }
        }
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(ids).hasSize(5);
    }

    @Test
    void writingAndPublishingAtOnceIsAUsageError(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory("generate-out");
        LaunchResult result =
                launcher.launch(
                        "generate",
                        "--count",
                        "1",
                        "--out",
                        dir.toString(),
                        "--via-gateway",
                        "http://127.0.0.1:1",
                        "--token",
                        "t");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("not with --via-gateway");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void optionsThatMakeEventsTheContractRefusesAreUsageErrors(QuarkusMainLauncher launcher)
            throws Exception {
        LaunchResult badSource = launcher.launch("generate", "--count", "1", "--source", "my app");
        assertThat(badSource.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSource.getErrorOutput()).contains("--source must be a URI reference");

        LaunchResult longPrefix =
                launcher.launch(
                        "generate",
                        "--count",
                        "1",
                        "--user-prefix",
                        "u".repeat(200),
                        "--out",
                        Files.createTempDirectory("generate-refused").toString());
        assertThat(longPrefix.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(longPrefix.getErrorOutput())
                .contains("these options make events the contract refuses")
                .contains("userId");
    }

    @Test
    void aPrefixTooLongForSomeCustomersIsRefusedBeforeAnyEventIsMade(QuarkusMainLauncher launcher)
            throws Exception {
        // customer 0's id has 128 characters (the contract's limit), customer 19's 129.
        Path dir = Files.createTempDirectory("generate-some-refused");
        LaunchResult result =
                launcher.launch(
                        "generate",
                        "--count",
                        "50",
                        "--customers",
                        "20",
                        "--batch",
                        "1",
                        "--user-prefix",
                        "u".repeat(127),
                        "--out",
                        dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput())
                .contains("these options make events the contract refuses");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).as("no batch written").isEmpty();
        }
    }

    @Test
    void aPrefixNoAddressTakesIsRefusedBeforeAnyEventIsMade(QuarkusMainLauncher launcher)
            throws Exception {
        // Valid user ids, but a sign-up's and a purchase's address is the id at example.com: the
        // email format takes no space, and no local part over 64 characters.
        for (String prefix : List.of("vip customer ", "u".repeat(64))) {
            Path dir = Files.createTempDirectory("generate-no-address");
            LaunchResult result =
                    launcher.launch(
                            "generate",
                            "--count",
                            "50",
                            "--batch",
                            "1",
                            "--user-prefix",
                            prefix,
                            "--out",
                            dir.toString());
            assertThat(result.exitCode()).as(prefix).isEqualTo(ExitCodes.USAGE);
            assertThat(result.getErrorOutput())
                    .contains("these options make events the contract refuses")
                    .contains("data.email");
            try (Stream<Path> listing = Files.list(dir)) {
                assertThat(listing).as("no batch written").isEmpty();
            }
        }
    }

    @Test
    void aBrokerThatIsNotThereIsAClearError(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "generate", "-b", "127.0.0.1:1", "--timeout", "PT2S", "--count", "1");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKER_UNREACHABLE);
        assertThat(result.getErrorOutput()).contains("could not publish");
    }
}
