package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.operations.ConsumerGroups;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.KeyScanCursor;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Deletes a subscriber's Redis store (every key under its prefix), the second step of a rebuild:
 * stop the subscriber, wipe, replay its group to the beginning, start it. Refuses while the group
 * has members, which would refill the store half-way.
 */
@Command(
        name = "wipe",
        mixinStandardHelpOptions = true,
        description = {
            "Delete every Redis key under --prefix (a subscriber's store), for a rebuild:",
            "  stop the subscriber; bus keys wipe --prefix P --group G;",
            "  bus replay --group G --to-earliest; start it again.",
            "Redis from env REDIS_HOST/REDIS_PORT (default 127.0.0.1:6379)."
        })
public class WipeKeysCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Spec CommandSpec spec;

    @Option(
            names = "--prefix",
            required = true,
            description = "Key prefix of the store, e.g. analytics: (must end with ':').")
    String prefix;

    @Option(
            names = "--group",
            description =
                    "The subscriber's consumer group: refuse while it has members (exit 5), or if"
                            + " it never read the bus (exit 4: a misspelt name).")
    Optional<String> group;

    @Option(names = "--dry-run", description = "Count the keys, delete nothing.")
    boolean dryRun;

    @Inject RedisDataSource redis;

    @Override
    public Integer call() throws InterruptedException {
        if (!prefix.matches("[A-Za-z0-9._-]{2,}:")) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--prefix must be a name ending with ':' (letters, digits, . _ -), not '"
                            + prefix
                            + "'");
        }
        if (group.isPresent()) {
            Optional<Integer> refused = refusedWhileActive(group.get());
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        KeyCommands<String> keys = redis.key();
        // The prefix has no glob characters (checked above), so it is its own pattern.
        KeyScanCursor<String> cursor = keys.scan(new KeyScanArgs().match(prefix + "*").count(1000));
        long found = 0;
        while (cursor.hasNext()) {
            Set<String> batch = cursor.next();
            found += batch.size();
            if (!dryRun && !batch.isEmpty()) {
                keys.unlink(batch.toArray(String[]::new));
            }
        }
        System.out.printf(
                dryRun
                        ? "%d key(s) under '%s' (dry run: nothing deleted)%n"
                        : "wiped %d key(s) under '%s'%n",
                found,
                prefix);
        return ExitCodes.OK;
    }

    /**
     * A group that never read the bus is no subscriber's (a typo, most often): the check that the
     * real one is stopped would pass while it runs, and it would refill the store half-way.
     */
    private static int notASubscribersGroup(String group) {
        System.err.printf(
                "group '%s' has never committed a position on %s: it is no subscriber's group"
                        + " (the names: bus groups); nothing wiped%n",
                group, BusTopics.CUSTOMER_EVENTS);
        return ExitCodes.NOT_FOUND;
    }

    private Optional<Integer> refusedWhileActive(String group) throws InterruptedException {
        try (Admin admin = broker.admin()) {
            Optional<String> active = ConsumerGroups.activeMembers(admin, group);
            active.ifPresent(
                    why -> System.err.println(why + ": it would refill the store half-way"));
            if (active.isPresent()) {
                return Optional.of(ExitCodes.CONFLICT);
            }
            if (ConsumerGroups.committed(admin, group).isEmpty()) {
                return Optional.of(notASubscribersGroup(group));
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.of(notASubscribersGroup(group));
            }
            return Optional.of(BrokerFailures.report(e.getCause()));
        } catch (KafkaException e) {
            return Optional.of(BrokerFailures.report(e));
        }
    }
}
