package io.customerbus.events.json;

/**
 * One reason an event is invalid: the field (a dotted path such as {@code data.quantity}, or {@code
 * $} for the whole document), the rule it breaks (a JSON Schema keyword such as {@code required} or
 * {@code type}, or {@code json} for malformed input) and a readable message.
 */
public record Violation(String field, String rule, String message) {

    @Override
    public String toString() {
        return field + ": " + message + " (" + rule + ")";
    }
}
