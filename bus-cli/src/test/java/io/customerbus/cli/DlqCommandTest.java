package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.TestGroups;
import io.customerbus.events.testing.TestRecords;
import io.customerbus.events.testing.TopicRefusingRecords;
import io.customerbus.runtime.operations.AuditLog;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters written by the toolkit's own DeadLetters, handled by the CLI on the real broker. */
@QuarkusMainTest
class DlqCommandTest {

    private final String subscriber = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final CustomerEventFactory shop = new CustomerEventFactory("purchase-service");
    private final List<CustomerEvent> letters = new ArrayList<>();

    @BeforeEach
    void deadLetterThreeEvents() throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBus.BOOTSTRAP))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(BusTopics.deadLetter(subscriber), 2, (short) 1),
                                    new NewTopic(BusTopics.retry(subscriber), 2, (short) 1)))
                    .all()
                    .get();
        }
        try (DeadLetters dlq = new DeadLetters(subscriber, TestBus.BOOTSTRAP)) {
            String[] reasons = {"SMTP timeout", "SMTP timeout", "the provider refused it: 550"};
            for (int i = 0; i < reasons.length; i++) {
                CustomerEvent event =
                        shop.create(
                                i == 2 ? EventTypes.ACCOUNT_CREATED : EventTypes.PURCHASE,
                                "dlq-user-" + i,
                                i == 2 ? null : "p",
                                i == 2
                                        ? Map.of("email", "u@example.com")
                                        : Map.of(
                                                "purchaseId",
                                                UUID.randomUUID().toString(),
                                                "quantity",
                                                1,
                                                "unitPrice",
                                                1,
                                                "currency",
                                                "EUR"));
                letters.add(event);
                ProducerRecord<String, byte[]> original =
                        BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty());
                dlq.send(
                        TestRecords.consumed(original, 100 + i),
                        reasons[i],
                        Map.of("email-attempts", "3"));
            }
        }
    }

    @Test
    void listCountsByReasonAndShowPrintsOneWhole(QuarkusMainLauncher launcher) {
        LaunchResult list =
                launcher.launch("dlq", "list", "-b", TestBus.BOOTSTRAP, "-s", subscriber);
        assertThat(list.exitCode()).as(list.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(list.getOutput())
                .contains(BusTopics.deadLetter(subscriber) + ": 3 record(s)")
                .containsPattern("2\\s+SMTP timeout")
                .containsPattern("1\\s+the provider refused it: 550")
                .contains(letters.get(2).eventId().toString());

        LaunchResult filtered =
                launcher.launch(
                        "dlq",
                        "list",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-s",
                        subscriber,
                        "--type",
                        "account-created");
        assertThat(filtered.getOutput()).contains(": 1 record(s)");

        LaunchResult show =
                launcher.launch(
                        "dlq",
                        "show",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-s",
                        subscriber,
                        letters.get(0).eventId().toString());
        assertThat(show.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(show.getOutput())
                .contains("dlq-reason: SMTP timeout")
                .contains("dlq-original-offset: 100")
                .contains("email-attempts: 3")
                .contains("\"eventId\" : \"" + letters.get(0).eventId());
    }

    @Test
    void aSubscriberWithoutARetryTopicIsToldToReplayNotLeftWaiting(QuarkusMainLauncher launcher)
            throws Exception {
        // Like the CRM: a dead-letter topic, no retry topic. A re-drive once waited a minute for
        // the topic and then blamed the broker (exit 3).
        String noRetries = "n" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBus.BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(BusTopics.deadLetter(noRetries), 1, (short) 1)))
                    .all()
                    .get();
        }
        try (DeadLetters dlq = new DeadLetters(noRetries, TestBus.BOOTSTRAP)) {
            dlq.send(
                    TestRecords.consumed(
                            BusRecordCodec.encode(
                                    BusTopics.CUSTOMER_EVENTS, letters.get(0), Optional.empty()),
                            7),
                    "bug in the handler",
                    Map.of());
        }

        LaunchResult redrive =
                launcher.launch("dlq", "redrive", "-b", TestBus.BOOTSTRAP, "-s", noRetries);

        assertThat(redrive.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(redrive.getErrorOutput())
                .contains(noRetries + " reads no retry topic")
                .contains("replay its group from before the first dead letter");
        LaunchResult list =
                launcher.launch("dlq", "list", "-b", TestBus.BOOTSTRAP, "-s", noRetries);
        assertThat(list.getOutput()).contains(": 1 record(s)");
    }

    @Test
    void redriveSendsMatchingLettersToTheSubscribersRetryTopicOnly(QuarkusMainLauncher launcher)
            throws Exception {
        Map<TopicPartition, Long> busBefore = TestGroups.busEnds();
        List<ConsumerRecord<String, byte[]>> retried;
        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber))) {
            LaunchResult redrive = redrive(launcher, "timeout");

            assertThat(redrive.exitCode()).as(redrive.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(redrive.getOutput()).contains("re-drove 2 record(s)");
            retried = retryTopic.readToEnd();
        }
        assertThat(retried)
                .extracting(r -> BusHeaders.text(r.headers(), BusHeaders.CE_ID))
                .containsExactlyInAnyOrder(
                        letters.get(0).eventId().toString(), letters.get(1).eventId().toString());
        assertThat(retried)
                .allSatisfy(
                        r -> {
                            assertThat(BusHeaders.text(r.headers(), Retries.ATTEMPT))
                                    .isEqualTo("0");
                            assertThat(BusHeaders.text(r.headers(), Retries.LAST_ERROR))
                                    .isEqualTo("re-driven: SMTP timeout");
                            assertThat(BusHeaders.text(r.headers(), DeadLetterQueue.REDRIVES))
                                    .isEqualTo("1");
                        });
        assertThat(TestGroups.busEnds()).as("nothing went back onto the bus").isEqualTo(busBefore);
    }

    @Test
    void aLetterReDrivenTooOftenAlreadyIsRefusedAsALoop(QuarkusMainLauncher launcher)
            throws Exception {
        CustomerEvent looping = shop.create(EventTypes.PRODUCT_USE, "dlq-loop", "p", null);
        ProducerRecord<String, byte[]> original =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, looping, Optional.empty());
        try (DeadLetters dlq = new DeadLetters(subscriber, TestBus.BOOTSTRAP)) {
            dlq.send(
                    TestRecords.consumed(original, 200),
                    "still looping",
                    Map.of(
                            DeadLetterQueue.REDRIVES,
                            Integer.toString(DeadLetterQueue.MAX_REDRIVES)));
        }
        List<ConsumerRecord<String, byte[]>> retried;
        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber))) {
            LaunchResult redrive = redrive(launcher, "looping");

            assertThat(redrive.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(redrive.getOutput())
                    .contains("re-drove 0 record(s)")
                    .contains("refused 1 record(s) re-driven 3 times already");
            retried = retryTopic.readToEnd();
        }
        assertThat(retried).isEmpty();
    }

    @Test
    void anEventDeadLetteredAgainIsReDrivenOnceFromItsNewestCopy(QuarkusMainLauncher launcher)
            throws Exception {
        // A re-drive leaves its letters in the DLQ; a record failing again joins them. Every copy
        // re-driven each round doubled them, and the loop guard never stopped the original.
        CustomerEvent again = shop.create(EventTypes.PRODUCT_USE, "dlq-again", "p", null);
        ProducerRecord<String, byte[]> original =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, again, Optional.empty());
        try (DeadLetters dlq = new DeadLetters(subscriber, TestBus.BOOTSTRAP)) {
            dlq.send(TestRecords.consumed(original, 300), "failing again", Map.of());
            dlq.send(
                    TestRecords.consumed(original, 300),
                    "failing again",
                    Map.of(DeadLetterQueue.REDRIVES, "1"));
        }
        List<ConsumerRecord<String, byte[]>> retried;
        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber))) {
            // The dry run counts what the re-drive sends, not every letter that matches.
            LaunchResult dryRun =
                    launcher.launch(
                            "dlq",
                            "redrive",
                            "-b",
                            TestBus.BOOTSTRAP,
                            "-s",
                            subscriber,
                            "--reason",
                            "failing again",
                            "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(dryRun.getOutput())
                    .contains("would re-drive 1 record(s)")
                    .contains("left out 1 older copy");
            assertThat(retryTopic.readToEnd()).isEmpty();

            LaunchResult redrive = redrive(launcher, "failing again");

            assertThat(redrive.exitCode()).as(redrive.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(redrive.getOutput())
                    .contains("re-drove 1 record(s)")
                    .contains("left out 1 older copy");
            retried = retryTopic.readToEnd();
        }
        assertThat(retried)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(BusHeaders.text(r.headers(), BusHeaders.CE_ID))
                                    .isEqualTo(again.eventId().toString());
                            assertThat(BusHeaders.text(r.headers(), DeadLetterQueue.REDRIVES))
                                    .isEqualTo("2");
                        });
    }

    private LaunchResult redrive(QuarkusMainLauncher launcher, String reason) {
        return launcher.launch(
                "dlq", "redrive", "-b", TestBus.BOOTSTRAP, "-s", subscriber, "--reason", reason);
    }

    @Test
    void aRedriveTheAuditLogCannotRecordIsReportedAsDoneNotToBeRepeated(
            QuarkusMainLauncher launcher) throws Exception {
        // A failure to write the entry after the letters went out was "could not reach the
        // broker", exit 3: a script retried, and sent them again.
        LaunchResult redrive;
        List<ConsumerRecord<String, byte[]>> retried;
        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber));
                TopicRefusingRecords auditLog = new TopicRefusingRecords(AuditLog.TOPIC)) {
            redrive = redrive(launcher, "timeout");
            retried = retryTopic.readToEnd();
        }
        assertThat(redrive.exitCode())
                .as(redrive.getErrorOutput())
                .isEqualTo(ExitCodes.NOT_AUDITED);
        assertThat(redrive.getErrorOutput())
                .contains("the redrive of 2 record(s) of " + subscriber)
                .contains("was done, but the audit log customer-events.audit could not record it")
                .contains("do not repeat it");
        assertThat(retried).hasSize(2);
    }

    @Test
    void purgeDeletesTheDeadLetters(QuarkusMainLauncher launcher) {
        LaunchResult purge =
                launcher.launch("dlq", "purge", "-b", TestBus.BOOTSTRAP, "-s", subscriber, "--all");
        assertThat(purge.exitCode()).as(purge.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(purge.getOutput()).contains("purged 3 record(s)");

        LaunchResult list =
                launcher.launch("dlq", "list", "-b", TestBus.BOOTSTRAP, "-s", subscriber);
        assertThat(list.getOutput()).contains(": 0 record(s)");
    }

    @Test
    void aPurgeBeforeATimeNoRecordCarriesIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult purge =
                launcher.launch(
                        "dlq",
                        "purge",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "-s",
                        subscriber,
                        "--before",
                        "1969-12-31T23:59:59Z");
        assertThat(purge.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(purge.getErrorOutput()).contains("from 1970 to 9999");

        LaunchResult list =
                launcher.launch("dlq", "list", "-b", TestBus.BOOTSTRAP, "-s", subscriber);
        assertThat(list.getOutput()).contains(": 3 record(s)");
    }

    @Test
    void anUnknownSubscriberIsNotFound(QuarkusMainLauncher launcher) {
        LaunchResult list =
                launcher.launch(
                        "dlq", "list", "-b", TestBus.BOOTSTRAP, "-s", "nobody" + subscriber);
        assertThat(list.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(list.getErrorOutput()).contains("has no dead-letter topic");
    }
}
