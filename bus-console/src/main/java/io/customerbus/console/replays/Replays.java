package io.customerbus.console.replays;

import io.customerbus.console.bus.BusConnection;
import io.customerbus.runtime.operations.Actor;
import io.customerbus.runtime.operations.Replay;
import io.customerbus.runtime.operations.TimeOutOfRangeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The console's replays, on the same {@link Replay} as {@code bus replay}: the plan first (what
 * {@code --dry-run} prints), then the move; a running group is refused (409), as the CLI refuses
 * it. Each on a reader of its own, as finding an event id may read the whole bus: the other views
 * do not wait for a replay. Replays take turns among themselves, so that a second request for the
 * same group plans after the first has moved it (and finds nothing to do), and the bus is scanned
 * by one at a time.
 */
@ApplicationScoped
public class Replays {

    @Inject BusConnection connection;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Where a replay starts: {@code beginning}, an ISO-8601 instant, or an event id. */
    public static Replay.From from(String from) {
        if (from == null || from.isBlank()) {
            throw new BadRequestException(
                    "from is required: 'beginning', an ISO-8601 time or an event id");
        }
        if (from.equals("beginning")) {
            return new Replay.Earliest();
        }
        Instant time;
        try {
            time = Instant.parse(from);
        } catch (DateTimeParseException notATime) {
            try {
                return new Replay.Event(UUID.fromString(from));
            } catch (IllegalArgumentException notAnId) {
                throw new BadRequestException(
                        "from '"
                                + from
                                + "' is neither 'beginning', an ISO-8601 time (2026-12-05T10:00:00Z)"
                                + " nor an event id");
            }
        }
        try {
            return new Replay.At(time);
        } catch (TimeOutOfRangeException outOfRange) {
            throw new BadRequestException(outOfRange.getMessage());
        }
    }

    /** What a replay of the group would do now; changes nothing. */
    public synchronized Replay.Plan plan(String group, Replay.From from) throws Exception {
        try {
            return connection.runAlone((admin, reader) -> Replay.plan(admin, reader, group, from));
        } catch (Replay.Refused refused) {
            throw asProblem(refused);
        }
    }

    /**
     * Plans the replay afresh (the group may have moved since the operator saw the plan), makes it.
     */
    public synchronized Replay.Plan start(String group, Replay.From from, String who)
            throws Exception {
        try {
            return connection.runAlone(
                    (admin, reader) -> {
                        Replay.Plan plan = Replay.plan(admin, reader, group, from);
                        Replay.apply(
                                admin, plan, bootstrapServers, new Actor(who, BusConnection.TOOL));
                        return plan;
                    });
        } catch (Replay.Refused refused) {
            throw asProblem(refused);
        }
    }

    private static RuntimeException asProblem(Replay.Refused refused) {
        return refused.why() == Replay.Refused.Why.GROUP_ACTIVE
                ? new ClientErrorException(refused.getMessage(), Response.Status.CONFLICT)
                : new NotFoundException(refused.getMessage());
    }
}
