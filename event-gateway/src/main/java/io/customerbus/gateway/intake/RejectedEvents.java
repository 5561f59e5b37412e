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
    private final int read;

    public RejectedEvents(int status, String title, String detail) {
        this(status, title, detail, List.of(), OptionalLong.empty(), 0);
    }

    public RejectedEvents(int status, String title, String detail, List<Problem> problems) {
        this(status, title, detail, problems, OptionalLong.empty(), 0);
    }

    private RejectedEvents(
            int status,
            String title,
            String detail,
            List<Problem> problems,
            OptionalLong retryAfterSeconds,
            int read) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.problems = List.copyOf(problems);
        this.retryAfterSeconds = retryAfterSeconds;
        this.read = read;
    }

    /** The same refusal, made after {@code read} of the request's events were read and checked. */
    public RejectedEvents afterReading(int read) {
        return new RejectedEvents(status, title, getMessage(), problems, retryAfterSeconds, read);
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
                OptionalLong.of(retryAfterSeconds),
                0);
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

    /**
     * How many events the refusal stands for — those read and checked before it, the valid ones of
     * a refused batch included, and at least those named: what it is counted and charged as.
     */
    public int refused() {
        return Math.max(read, events());
    }

    /** How many distinct events the problems are about. */
    public static int eventsIn(List<Problem> problems) {
        return (int) problems.stream().mapToInt(Problem::index).distinct().count();
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
