package io.customerbus.gateway.intake;

import java.util.List;
import java.util.OptionalLong;

/**
 * Why a request's events were not accepted — none of them: a request is accepted whole or not at
 * all. Answered as problem+json with the status, and one entry per offending event.
 */
public class RejectedEvents extends RuntimeException {

    /** One offending event of the request (its position in a batch; 0 for a single event). */
    public record Problem(int index, String field, String rule, String message) {}

    private final int status;
    private final String title;
    private final transient List<Problem> problems;
    private final OptionalLong retryAfterSeconds;

    public RejectedEvents(int status, String title, String detail) {
        this(status, title, detail, List.of(), OptionalLong.empty());
    }

    public RejectedEvents(int status, String title, String detail, List<Problem> problems) {
        this(status, title, detail, problems, OptionalLong.empty());
    }

    private RejectedEvents(
            int status,
            String title,
            String detail,
            List<Problem> problems,
            OptionalLong retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.problems = List.copyOf(problems);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static RejectedEvents rateLimited(String publisher, long retryAfterSeconds) {
        return new RejectedEvents(
                429,
                "Too Many Requests",
                "publisher "
                        + publisher
                        + " is over its rate limit; retry after "
                        + retryAfterSeconds
                        + " s",
                List.of(),
                OptionalLong.of(retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** How many of the request's events are named (one when the request as a whole was refused). */
    public int events() {
        return Math.max(1, eventsIn(problems));
    }

    /** How many distinct events the problems are about. */
    public static int eventsIn(List<Problem> problems) {
        return (int) problems.stream().mapToInt(Problem::index).distinct().count();
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
