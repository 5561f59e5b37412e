package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.testing.TestGroups;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rebuild's wipe step against the real Redis and broker. */
@QuarkusMainTest
class WipeKeysCommandTest {

    private static Vertx vertx;
    private static Redis redis;

    private final String stem = "wipe-" + UUID.randomUUID();
    private final String prefix = stem + ":";
    // Keys that start like the prefix but are not under it: another store, and the bare stem.
    private final List<String> neighbours = List.of(stem + "-other:k", stem);

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        vertx.close();
    }

    @Test
    void deletesExactlyTheKeysUnderThePrefix(QuarkusMainLauncher launcher) throws Exception {
        for (int i = 0; i < 2500; i++) {
            send(Request.cmd(Command.SET).arg(prefix + "k" + i).arg("1"));
        }
        for (String neighbour : neighbours) {
            send(Request.cmd(Command.SET).arg(neighbour).arg("1"));
        }

        LaunchResult dry = launcher.launch("keys", "wipe", "--prefix", prefix, "--dry-run");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.getOutput()).contains("2500 key(s) under '" + prefix + "' (dry run");
        assertThat(count(prefix)).isEqualTo(2500);

        LaunchResult wiped = launcher.launch("keys", "wipe", "--prefix", prefix);
        assertThat(wiped.exitCode()).as(wiped.getErrorOutput()).isZero();
        assertThat(wiped.getOutput()).contains("wiped 2500 key(s) under '" + prefix + "'");
        assertThat(count(prefix)).isZero();
        for (String neighbour : neighbours) {
            assertThat(send(Request.cmd(Command.EXISTS).arg(neighbour)).toInteger()).isEqualTo(1);
            send(Request.cmd(Command.DEL).arg(neighbour));
        }
    }

    @Test
    void refusesWhileTheSubscribersGroupHasMembers(QuarkusMainLauncher launcher) throws Exception {
        send(Request.cmd(Command.SET).arg(prefix + "k").arg("1"));
        String group = "cli-wipe-" + UUID.randomUUID();
        try (KafkaConsumer<byte[], byte[]> member = TestGroups.activeMember(group)) {
            LaunchResult refused = wipeFor(launcher, group);
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(refused.getErrorOutput()).contains("stop its deployments first");
        }
        assertThat(count(prefix)).isEqualTo(1);

        // A misspelt group has no members either: it must not pass for the stopped subscriber.
        LaunchResult typo = wipeFor(launcher, group + "-typo");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(typo.getErrorOutput()).contains("it is no subscriber's group");
        assertThat(count(prefix)).isEqualTo(1);
        send(Request.cmd(Command.DEL).arg(prefix + "k"));
        assertThat(launcher.launch("keys", "wipe", "--prefix", "*").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    /** The wipe of this test's keys, checked against {@code group} first. */
    private LaunchResult wipeFor(QuarkusMainLauncher launcher, String group) {
        return launcher.launch(
                "keys", "wipe", "-b", TestBus.BOOTSTRAP, "--prefix", prefix, "--group", group);
    }

    private static Response send(Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get();
    }

    private static long count(String prefix) throws Exception {
        long n = 0;
        String cursor = "0";
        do {
            Response page =
                    send(
                            Request.cmd(Command.SCAN)
                                    .arg(cursor)
                                    .arg("MATCH")
                                    .arg(prefix + "*")
                                    .arg("COUNT")
                                    .arg(1000));
            cursor = page.get(0).toString();
            n += page.get(1).size();
        } while (!cursor.equals("0"));
        return n;
    }
}
