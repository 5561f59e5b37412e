package io.customerbus.console.rest;

import io.customerbus.console.bus.BusConnection;
import io.customerbus.console.bus.BusView;
import io.customerbus.console.bus.BusViews;
import io.customerbus.console.deadletters.DeadLetterView;
import io.customerbus.console.deadletters.DeadLetterViews;
import io.customerbus.console.replays.Replays;
import io.customerbus.runtime.operations.AuditLog;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.operations.Replay;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operators' API (book §14.4 path layout); the page at /console/ is built on it. */
@Path("/api/console/v1")
@RolesAllowed(ConsoleResource.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
@SecurityRequirement(name = "jwt")
public class ConsoleResource {

    public static final String ROLE = "bus-admin";

    /**
     * A subscriber's short name, as in its topics (customer-events.<name>.retry): short enough for
     * them to fit Kafka's 249 characters of a topic name.
     */
    static final String NAME = "(?=.{1,227}$)[a-z][a-z0-9]*(-[a-z0-9]+)*";

    /** A Kafka consumer group id, as Kafka allows it in a resource name. */
    static final String GROUP = "[A-Za-z0-9._-]{1,249}";

    @Inject BusViews views;
    @Inject DeadLetterViews deadLetters;
    @Inject Replays replays;
    @Inject BusConnection connection;
    @Inject JsonWebToken token;

    @GET
    @Path("bus")
    @Operation(
            summary =
                    "The whole bus in one answer: traffic by type, and every described subscriber"
                            + " with its lag per partition (records, seconds), replay boundary and"
                            + " DLQ depth")
    public BusView bus() throws Exception {
        return views.whole();
    }

    @GET
    @Path("subscribers/{name}/dead-letters")
    @Operation(
            summary =
                    "A subscriber's dead letters: counts by reason, then one line each, newest first")
    public DeadLetterView deadLetters(@PathParam("name") @Pattern(regexp = NAME) String name)
            throws Exception {
        return deadLetters.list(name);
    }

    @GET
    @Path("subscribers/{name}/dead-letters/{partition}/{offset}")
    @Operation(
            summary = "One dead letter whole: every header (reason, origin, attempts) and the body")
    public DeadLetterView.Whole deadLetter(
            @PathParam("name") @Pattern(regexp = NAME) String name,
            @PathParam("partition") @Min(0) int partition,
            @PathParam("offset") @Min(0) long offset)
            throws Exception {
        return deadLetters.show(name, partition, offset);
    }

    @GET
    @Path("subscribers/{name}/dead-letters/redrive")
    @Operation(
            summary =
                    "What a re-drive with the same `reason` and `upTo` would do, sending nothing:"
                            + " how many it would send, those it would refuse as loops, and the"
                            + " older copies of an event it would leave out; 409 when the"
                            + " subscriber reads no retry topic")
    public Map<String, Object> redrivePlan(
            @PathParam("name") @Pattern(regexp = NAME) String name,
            @QueryParam("reason") @Size(max = 500) String reason,
            @QueryParam("upTo") @Pattern(regexp = UP_TO) String upTo)
            throws Exception {
        return redriveAnswer(deadLetters.planRedrive(name, reason, offsets(upTo)));
    }

    @POST
    @Path("subscribers/{name}/dead-letters/redrive")
    @Operation(
            summary =
                    "Re-drive a subscriber's dead letters (those whose reason contains `reason`, or"
                            + " all; with `upTo`, the list's, none dead-lettered after that list was"
                            + " read) to its own retry topic, never the bus; the newest copy of each"
                            + " event; a record re-driven 3 times already is refused as a loop;"
                            + " audited")
    public Map<String, Object> redrive(
            @PathParam("name") @Pattern(regexp = NAME) String name,
            @QueryParam("reason") @Size(max = 500) String reason,
            @QueryParam("upTo") @Pattern(regexp = UP_TO) String upTo)
            throws Exception {
        return redriveAnswer(deadLetters.redrive(name, reason, offsets(upTo), operator()));
    }

    /**
     * Who acts, for the audit log: the token's subject, or for a token that names its holder by
     * {@code upn} (or {@code preferred_username}) alone, that name. A token naming no one may not
     * act: its action would be on the log under no one.
     */
    private String operator() {
        String who = token.getSubject() != null ? token.getSubject() : token.getName();
        if (who == null || who.isBlank()) {
            throw new ForbiddenException(
                    "the token names no one (no sub, upn or preferred_username claim): an action"
                            + " is recorded under who took it");
        }
        return who;
    }

    private static Map<String, Object> redriveAnswer(DeadLetterQueue.Redriven done) {
        return Map.of(
                "redriven",
                done.redriven(),
                "refused",
                done.refused().stream().map(DeadLetterQueue.Position::toString).toList(),
                "olderCopies",
                done.olderCopies());
    }

    @POST
    @Path("subscribers/{name}/dead-letters/purge")
    @Operation(
            summary =
                    "Delete a subscriber's dead letters: all, or those dead-lettered before"
                            + " `before` (ISO-8601); with `upTo` (the list's `upTo`, as"
                            + " `partition:offset,...`) none dead-lettered after that list was read;"
                            + " audited")
    public Map<String, Object> purge(
            @PathParam("name") @Pattern(regexp = NAME) String name,
            @QueryParam("before") String before,
            @QueryParam("upTo") @Pattern(regexp = UP_TO) String upTo)
            throws Exception {
        return Map.of(
                "purged", deadLetters.purge(name, instant(before), offsets(upTo), operator()));
    }

    @GET
    @Path("groups/{group}/replay")
    @Operation(
            summary =
                    "The plan of a replay of a consumer group, as `bus replay --dry-run` prints it:"
                            + " per partition the committed offset, where it would restart and how"
                            + " many records it would process again; changes nothing. `from`:"
                            + " `beginning`, an ISO-8601 time or an event id. 409 while the group"
                            + " has members")
    public Replay.Plan replayPlan(
            @PathParam("group") @Pattern(regexp = GROUP) String group,
            @QueryParam("from") String from)
            throws Exception {
        return replays.plan(group, Replays.from(from));
    }

    @POST
    @Path("groups/{group}/replay")
    @Operation(
            summary =
                    "Rewind a stopped consumer group to replay history (the subscriber marks what"
                            + " it re-applies as replays); 409 while the group has members; audited")
    public Replay.Plan replay(
            @PathParam("group") @Pattern(regexp = GROUP) String group,
            @QueryParam("from") String from)
            throws Exception {
        return replays.start(group, Replays.from(from), operator());
    }

    @GET
    @Path("activity")
    @Operation(
            summary =
                    "The latest operator actions on the bus (who, when, what, how many), newest first")
    public List<AuditLog.Entry> activity() throws Exception {
        return connection.run((admin, reader, catalog) -> AuditLog.recent(reader, 50));
    }

    /** End offsets by partition, as {@code 0:12,1:40}. */
    static final String UP_TO = "\\d{1,9}:\\d{1,18}(,\\d{1,9}:\\d{1,18}){0,9999}";

    private static Map<Integer, Long> offsets(String upTo) {
        Map<Integer, Long> offsets = new TreeMap<>();
        if (upTo != null) {
            for (String each : upTo.split(",")) {
                String[] partitionAndOffset = each.split(":");
                offsets.put(
                        Integer.parseInt(partitionAndOffset[0]),
                        Long.parseLong(partitionAndOffset[1]));
            }
        }
        return offsets;
    }

    private static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new BadRequestException(
                    "before '" + text + "' is not an ISO-8601 time (2026-12-05T10:00:00Z)");
        }
    }
}
