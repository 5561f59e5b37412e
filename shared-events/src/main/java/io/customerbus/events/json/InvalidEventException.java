package io.customerbus.events.json;

import java.util.List;
import java.util.stream.Collectors;

/** An event that breaks the contract; the message names every field and rule involved. */
public class InvalidEventException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidEventException(List<Violation> violations) {
        super(
                "invalid customer event: "
                        + violations.stream()
                                .map(Violation::toString)
                                .collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidEventException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }
}
