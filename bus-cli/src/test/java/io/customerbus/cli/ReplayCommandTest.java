package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.TestGroups;
import io.customerbus.runtime.operations.AuditLog;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group that consumed everything, then three events of one customer appended on one partition at
 * known record times (minutes ahead, later than anything earlier tests wrote, so time lookups find
 * exactly these).
 */
@QuarkusMainTest
class ReplayCommandTest {

    private final String group = "cli-replay-" + UUID.randomUUID();
    private List<CustomerEvent> events;
    private List<RecordMetadata> sent;
    private long base;
    private TopicPartition partition;
    private Map<TopicPartition, OffsetAndMetadata> before;

    @BeforeEach
    void arrange() throws Exception {
        String user = "replay-" + UUID.randomUUID();
        CustomerEventFactory factory = new CustomerEventFactory("cli-test");
        events =
                List.of(
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null),
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null),
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null));
        // The broker accepts record times up to an hour ahead (message.timestamp.after.max.ms).
        base = Instant.now().plus(Duration.ofMinutes(50)).toEpochMilli();
        sent = TestBus.publish(events, List.of(base, base + 1, base + 2));
        partition = new TopicPartition(BusTopics.CUSTOMER_EVENTS, sent.get(0).partition());
        Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
        TestGroups.busEnds().forEach((p, end) -> atEnd.put(p, new OffsetAndMetadata(end)));
        TestGroups.commit(group, atEnd);
        before = TestGroups.committed(group);
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        group,
                        "--to-datetime",
                        Instant.ofEpochMilli(base + 1).toString(),
                        "--dry-run");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        long end = offset(2) + 1;
        assertThat(result.getOutput())
                .containsPattern(
                        "\\s%d\\s+%d\\s+%d\\s+%d\\s+2\\s+%d"
                                .formatted(partition.partition(), end, offset(1), end, end))
                .contains("2 record(s) will be processed again")
                .contains("dry run: nothing changed");
        assertThat(TestGroups.committed(group)).isEqualTo(before);
    }

    @Test
    void toDatetimeRewindsOnlyTheRecordsAtOrAfterThatTimeAndRecordsTheBoundary(
            QuarkusMainLauncher launcher) {
        LaunchResult result =
                toDatetime(launcher, group, Instant.ofEpochMilli(base + 1).toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        Map<TopicPartition, OffsetAndMetadata> after = TestGroups.committed(group);
        assertThat(after.get(partition))
                .isEqualTo(
                        new OffsetAndMetadata(
                                offset(1),
                                "replay-until=" + (offset(2) + 1) + ";replay-from=" + offset(1)));
        after.remove(partition);
        assertThat(after).isEqualTo(withoutPartition(before));
        try (KafkaConsumer<String, byte[]> reader = TestBus.reader()) {
            assertThat(AuditLog.recent(reader, 50))
                    .as("audited")
                    .anySatisfy(
                            entry -> {
                                assertThat(entry.action()).isEqualTo("replay");
                                assertThat(entry.subscriber()).isEqualTo(group);
                                assertThat(entry.tool()).isEqualTo("bus-cli");
                                assertThat(entry.records()).isEqualTo(2);
                            });
        }
    }

    @Test
    void fromEventRewindsTheEventsPartitionToIt(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        group,
                        "--from-event",
                        events.get(2).eventId().toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(TestGroups.committed(group).get(partition).offset()).isEqualTo(offset(2));
    }

    @Test
    void toEarliestRewindsEveryPartitionAndKeepsAnUnfinishedReplaysBoundary(
            QuarkusMainLauncher launcher) {
        launcher.launch(
                "replay",
                "-b",
                TestBus.BOOTSTRAP,
                "-g",
                group,
                "--to-datetime",
                Instant.ofEpochMilli(base + 2).toString());

        LaunchResult result =
                launcher.launch("replay", "-b", TestBus.BOOTSTRAP, "-g", group, "--to-earliest");

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        Map<TopicPartition, OffsetAndMetadata> after = TestGroups.committed(group);
        assertThat(after).hasSameSizeAs(before);
        after.forEach(
                (p, offset) -> {
                    assertThat(offset.offset()).as("partition %s", p).isZero();
                    // An empty partition is not moved, so it gets no boundary.
                    long was = before.get(p).offset();
                    assertThat(offset.metadata())
                            .isEqualTo(was == 0 ? "" : "replay-until=" + was + ";replay-from=0");
                });
    }

    @Test
    void byDurationRewindsToThatLongAgo(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "replay", "-b", TestBus.BOOTSTRAP, "-g", group, "--by-duration", "P60D");

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        // Every record on the test broker is younger than 60 days: back to the partition's start.
        assertThat(TestGroups.committed(group).get(partition).offset()).isZero();
    }

    @Test
    void aGroupWithActiveMembersIsRefusedAndUntouched(QuarkusMainLauncher launcher) {
        try (KafkaConsumer<byte[], byte[]> member = TestGroups.activeMember(group)) {
            LaunchResult result =
                    launcher.launch(
                            "replay", "-b", TestBus.BOOTSTRAP, "-g", group, "--to-earliest");

            assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(result.getErrorOutput())
                    .contains("has 1 active member(s)")
                    .contains("stop its deployments first");
        }
        assertThat(TestGroups.committed(group)).isEqualTo(before);
    }

    @Test
    void aPartitionTheGroupNeverCommittedRestartsAtItsBeginning(QuarkusMainLauncher launcher) {
        // As after partitions are added: the group has committed all but the events' partition.
        // Rewound to the target, it would skip the records before the target, never read.
        String partial = "replay-partial-" + UUID.randomUUID();
        Map<TopicPartition, OffsetAndMetadata> others = new HashMap<>();
        TestGroups.busEnds()
                .forEach(
                        (p, end) -> {
                            if (!p.equals(partition)) {
                                others.put(p, new OffsetAndMetadata(end));
                            }
                        });
        TestGroups.commit(partial, others);

        LaunchResult result =
                toDatetime(launcher, partial, Instant.ofEpochMilli(base + 1).toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        long beginning;
        try (KafkaConsumer<String, byte[]> reader = TestBus.reader()) {
            beginning = reader.beginningOffsets(List.of(partition)).get(partition);
        }
        assertThat(TestGroups.committed(partial).get(partition).offset()).isEqualTo(beginning);
    }

    private static LaunchResult toDatetime(
            QuarkusMainLauncher launcher, String group, String datetime) {
        return launcher.launch(
                "replay", "-b", TestBus.BOOTSTRAP, "-g", group, "--to-datetime", datetime);
    }

    @Test
    void badInputGetsAClearErrorAndAnExitCode(QuarkusMainLauncher launcher) {
        LaunchResult unknown =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        "no-such-" + UUID.randomUUID(),
                        "--to-earliest");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.getErrorOutput()).contains("no consumer group");

        LaunchResult badTime =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        group,
                        "--to-datetime",
                        "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTime.getErrorOutput()).contains("'yesterday' is not an ISO-8601 date-time");

        // Valid times Kafka cannot look up: once a stack trace and exit 1.
        for (String[] target :
                List.of(
                        new String[] {"--to-datetime", "1969-12-31T00:00:00Z"},
                        new String[] {"--by-duration", "P25000D"})) {
            LaunchResult outOfRange =
                    launcher.launch(
                            "replay", "-b", TestBus.BOOTSTRAP, "-g", group, target[0], target[1]);
            assertThat(outOfRange.exitCode()).as(target[1]).isEqualTo(ExitCodes.USAGE);
            assertThat(outOfRange.getErrorOutput())
                    .contains("a replay starts at a time from 1970 to 9999");
        }

        LaunchResult noTarget = launcher.launch("replay", "-b", TestBus.BOOTSTRAP, "-g", group);
        assertThat(noTarget.exitCode()).isEqualTo(ExitCodes.USAGE);

        LaunchResult twoTargets =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        group,
                        "--to-earliest",
                        "--by-duration",
                        "PT1H");
        assertThat(twoTargets.exitCode()).isEqualTo(ExitCodes.USAGE);

        LaunchResult noEvent =
                launcher.launch(
                        "replay",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-g",
                        group,
                        "--from-event",
                        UUID.randomUUID().toString());
        assertThat(noEvent.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        LaunchResult unreachable =
                launcher.launch(
                        "replay",
                        "-b",
                        "127.0.0.1:1",
                        "--timeout",
                        "PT2S",
                        "-g",
                        group,
                        "--to-earliest");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.BROKER_UNREACHABLE);
        assertThat(unreachable.getErrorOutput()).contains("could not reach the broker");
        assertThat(TestGroups.committed(group)).isEqualTo(before);
    }

    private long offset(int event) {
        return sent.get(event).offset();
    }

    private Map<TopicPartition, OffsetAndMetadata> withoutPartition(
            Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> copy = new HashMap<>(offsets);
        copy.remove(partition);
        return copy;
    }
}
