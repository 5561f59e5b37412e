package io.customerbus.cli;

import io.customerbus.runtime.operations.NotAudited;
import io.customerbus.runtime.operations.Replay;
import io.customerbus.runtime.operations.TimeOutOfRangeException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Rewinds a stopped consumer group so its subscriber processes history again. The plan and the move
 * are {@link Replay}'s, which the console uses too; each move is audited.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Rewind a consumer group (its deployments stopped) to reprocess history.",
            "Prints the plan per partition; --dry-run changes nothing."
        })
public class ReplayCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Spec CommandSpec spec;

    @Option(
            names = {"-g", "--group"},
            required = true,
            description = "The consumer group to rewind.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--dry-run", description = "Print the plan without changing anything.")
    boolean dryRun;

    static class Target {
        @Option(names = "--to-earliest", description = "From the beginning of the bus.")
        boolean earliest;

        @Option(
                names = "--to-datetime",
                converter = IsoInstantConverter.class,
                paramLabel = "T",
                description = "From the first record at or after T (ISO-8601 with zone).")
        Instant datetime;

        @Option(
                names = "--by-duration",
                paramLabel = "P",
                description = "From the first record of the last P (ISO-8601, e.g. PT2H, P1D).")
        Duration duration;

        @Option(
                names = "--from-event",
                paramLabel = "ID",
                description =
                        "From the event with this id (its partition from its offset, the others"
                                + " from its time).")
        UUID eventId;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (target.duration != null && (target.duration.isNegative() || target.duration.isZero())) {
            throw new ParameterException(spec.commandLine(), "--by-duration must be positive");
        }
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            Replay.Plan plan = Replay.plan(admin, reader, group, from());
            print(plan);
            if (dryRun) {
                System.out.println("dry run: nothing changed");
                return ExitCodes.OK;
            }
            if (plan.partitionsRewound() == 0) {
                System.out.println("nothing to replay: the group is already there");
                return ExitCodes.OK;
            }
            Replay.apply(admin, plan, broker.bootstrapServers(), BrokerOptions.operator());
            System.out.printf(
                    "group %s rewound on %d partition(s); start its deployments to replay%n",
                    group, plan.partitionsRewound());
            return ExitCodes.OK;
        } catch (Replay.Refused e) {
            System.err.println(e.getMessage());
            return e.why() == Replay.Refused.Why.GROUP_ACTIVE
                    ? ExitCodes.CONFLICT
                    : ExitCodes.NOT_FOUND;
        } catch (NotAudited e) {
            return BrokerFailures.report(e);
        } catch (ExecutionException e) {
            return BrokerFailures.report(e.getCause());
        } catch (KafkaException e) {
            return BrokerFailures.report(e);
        }
    }

    private Replay.From from() {
        if (target.earliest) {
            return new Replay.Earliest();
        }
        if (target.eventId != null) {
            return new Replay.Event(target.eventId);
        }
        try {
            return new Replay.At(
                    target.datetime != null
                            ? target.datetime
                            : Instant.now().minus(target.duration));
        } catch (TimeOutOfRangeException | ArithmeticException | DateTimeException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void print(Replay.Plan plan) {
        System.out.printf(
                "%9s %10s %10s %10s %12s  %s%n",
                "PARTITION", "CURRENT", "NEW", "END", "REPROCESSED", "REPLAY-UNTIL");
        for (Replay.Move move : plan.moves()) {
            System.out.printf(
                    "%9d %10s %10d %10d %12d  %s%n",
                    move.partition(),
                    move.current() == null ? "-" : move.current().toString(),
                    move.changes() ? move.target() : move.current(),
                    move.end(),
                    move.reprocessed(),
                    move.changes() ? Long.toString(move.until()) : "-");
        }
        System.out.printf("%d record(s) will be processed again%n", plan.reprocessed());
    }
}
