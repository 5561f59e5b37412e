package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The CLI as scripts use it: output and exit codes, against the real broker of the tests. */
@QuarkusMainTest
class TopicsCommandTest {

    @Test
    void ensuringATopicTwiceCreatesItOnceAndKeepsItsConfig(QuarkusMainLauncher launcher) {
        String topic = "cli-test-" + UUID.randomUUID();
        String[] args = {
            "topics",
            "ensure",
            "-b",
            TestBus.BOOTSTRAP,
            "--partitions",
            "2",
            "--config",
            "retention.ms=-1",
            topic
        };

        LaunchResult first = launcher.launch(args);
        LaunchResult second = launcher.launch(args);
        LaunchResult list = launcher.launch("topics", "list", "-b", TestBus.BOOTSTRAP);

        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(first.getOutput()).contains("created " + topic + " (2 partitions)");
        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(second.getOutput()).contains("exists  " + topic + " (2 partitions)");
        assertThat(list.getOutput()).containsPattern(topic + "\\s+2\\s+-1");
    }

    @Test
    void readyReportsAnUnreachableBrokerWithItsOwnExitCode(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("ready", "-b", "127.0.0.1:1", "--timeout", "PT2S");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKER_UNREACHABLE);
        assertThat(result.getErrorOutput()).contains("127.0.0.1:1 did not answer within PT2S");
    }

    @Test
    void ensuringTopicsOnAnUnreachableBrokerIsTheExitCodeAScriptMayRetry(
            QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "topics", "ensure", "-b", "127.0.0.1:1", "--timeout", "PT2S", "some-topic");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BROKER_UNREACHABLE);
        assertThat(result.getErrorOutput()).contains("could not ensure topics: ");
    }

    @Test
    void ensuringATopicWithAConfigTheBrokerRefusesSaysWhy(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "topics",
                        "ensure",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "--config",
                        "cleanup.policy=sometimes",
                        "refused-" + UUID.randomUUID());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.getErrorOutput())
                .contains("could not ensure topics: the broker refused it: ")
                .contains("sometimes");
    }

    @Test
    void readyAnswersForTheRealBroker(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("ready", "-b", TestBus.BOOTSTRAP);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.getOutput()).contains("broker ready at " + TestBus.BOOTSTRAP);
    }
}
