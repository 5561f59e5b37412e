package io.customerbus.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerbus.events.CustomerEvent;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the JSON Schema cannot say but every store and record of the bus needs of an event. Each
 * rule stands for a failure seen downstream of an event that had been accepted: the writer refuses
 * such an event, so that it never reaches an outbox, where the relay could not send it and would
 * hold up every later event, nor a subscriber, which could not apply it and would stop.
 *
 * <ul>
 *   <li>No U+0000 in any text: PostgreSQL's {@code text} and {@code jsonb} refuse it, so the outbox
 *       could not take it as a userId, nor the CRM store it anywhere in the event.
 *   <li>No unpaired surrogate: it is not Unicode text. UTF-8 has no encoding for it (the record
 *       key, the headers and the columns would hold {@code ?} while the body holds the escape, and
 *       every subscriber would find them inconsistent), and {@code jsonb} refuses its escape.
 *   <li>Numbers of at most {@value #MAX_DIGITS} digits before and after the decimal point: {@code
 *       jsonb} refuses {@code 1e200000} ("value overflows numeric format"), and a number written
 *       short, such as {@code 1e100000}, is stored expanded, a hundred thousand digits.
 *   <li>{@code occurredAt} from 1970 on: it is the record's timestamp, which Kafka keeps as
 *       milliseconds since the epoch, never negative.
 *   <li>{@code source} a URI reference, as CloudEvents requires: the schema's characters allow
 *       {@code crm:} or {@code a_b:c}, which are not.
 * </ul>
 */
public final class CarriageRules {

    public static final String CHARACTERS_RULE = "characters";

    /** Digits a number may have on either side of its decimal point. */
    public static final int MAX_DIGITS = 1000;

    /** The characters the schema allows in a source. */
    private static final Pattern SOURCE_CHARACTERS = Pattern.compile("[A-Za-z0-9._:/-]{1,255}");

    /** The last source found to be a URI reference. */
    private static volatile String lastSource;

    private CarriageRules() {}

    /** True when {@code source} may be an event's source. */
    public static boolean isSource(String source) {
        return source != null
                && SOURCE_CHARACTERS.matcher(source).matches()
                && uriProblem(source) == null;
    }

    /**
     * The texts and numbers of the document (field names and values) that no store of the bus could
     * hold. Runs for every event read or written, so a path is spelled out only for a violation.
     */
    static List<Violation> text(JsonNode tree) {
        List<Violation> violations = new ArrayList<>(0);
        walk(tree, new ArrayDeque<>(), violations);
        return violations;
    }

    /** The attributes of a schema-valid event that no record of the bus could carry. */
    static List<Violation> attributes(CustomerEvent event) {
        List<Violation> violations = new ArrayList<>(0);
        if (event.occurredAt().isBefore(Instant.EPOCH)) {
            violations.add(
                    new Violation(
                            "occurredAt",
                            "minimum",
                            "is before 1970-01-01T00:00:00Z: the time of a Kafka record cannot be"));
        }
        String uriProblem = uriProblem(event.source());
        if (uriProblem != null) {
            violations.add(
                    new Violation(
                            "source", "format", "is not a URI reference (" + uriProblem + ")"));
        }
        return violations;
    }

    private static String uriProblem(String source) {
        // A publisher sends many events under one source: parsed once, not for each.
        if (source.equals(lastSource)) {
            return null;
        }
        try {
            new URI(source);
            lastSource = source;
            return null;
        } catch (URISyntaxException e) {
            return e.getMessage();
        }
    }

    /** {@code path}: the field names and array indexes down to {@code node}. */
    private static void walk(JsonNode node, Deque<Object> path, List<Violation> violations) {
        if (node.isTextual()) {
            String problem = problemIn(node.textValue());
            if (problem != null) {
                violations.add(new Violation(spelled(path), CHARACTERS_RULE, problem));
            }
        } else if (node.isNumber()) {
            String problem = problemOf(node);
            if (problem != null) {
                violations.add(new Violation(spelled(path), "range", problem));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.addLast(i);
                walk(node.get(i), path, violations);
                path.removeLast();
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                path.addLast(field.getKey());
                String problem = problemIn(field.getKey());
                if (problem != null) {
                    violations.add(
                            new Violation(spelled(path) + " (its name)", CHARACTERS_RULE, problem));
                }
                walk(field.getValue(), path, violations);
                path.removeLast();
            }
        }
    }

    /** A dotted path such as {@code data.items[0].name}, or {@code $} for the document. */
    private static String spelled(Deque<Object> path) {
        if (path.isEmpty()) {
            return "$";
        }
        StringBuilder spelled = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                spelled.append('[').append(index).append(']');
            } else {
                spelled.append(spelled.length() == 0 ? "" : ".").append(step);
            }
        }
        return spelled.toString();
    }

    private static String problemOf(JsonNode number) {
        if (number.isIntegralNumber() && !number.isBigInteger()) {
            return null;
        }
        if (number.isDouble() || number.isFloat()) {
            return Double.isFinite(number.doubleValue()) ? null : "is not a finite number";
        }
        BigDecimal value = number.decimalValue();
        int before = Math.max(0, value.precision() - value.scale());
        int after = Math.max(0, value.scale());
        if (before > MAX_DIGITS || after > MAX_DIGITS) {
            return "has "
                    + before
                    + " digits before its decimal point and "
                    + after
                    + " after; the bus stores at most "
                    + MAX_DIGITS
                    + " on either side";
        }
        return null;
    }

    private static String problemIn(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "holds U+0000 (NUL), which the bus's databases cannot store";
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format(
                        "holds an unpaired surrogate (\\u%04X), which is not Unicode text",
                        (int) c);
            }
        }
        return null;
    }
}
