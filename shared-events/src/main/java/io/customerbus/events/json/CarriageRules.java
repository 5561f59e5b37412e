package io.customerbus.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerbus.events.CustomerEvent;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
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

    private CarriageRules() {}

    /** True when {@code source} may be an event's source. */
    public static boolean isSource(String source) {
        return source != null
                && SOURCE_CHARACTERS.matcher(source).matches()
                && uriProblem(source) == null;
    }

    /** The texts of the document (field names and values) that no store of the bus could hold. */
    static List<Violation> text(JsonNode tree) {
        List<Violation> violations = new ArrayList<>();
        walk(tree, "", violations);
        return violations;
    }

    /** The attributes of a schema-valid event that no record of the bus could carry. */
    static List<Violation> attributes(CustomerEvent event) {
        List<Violation> violations = new ArrayList<>();
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
        try {
            new URI(source);
            return null;
        } catch (URISyntaxException e) {
            return e.getMessage();
        }
    }

    private static void walk(JsonNode node, String path, List<Violation> violations) {
        if (node.isTextual()) {
            check(node.textValue(), path.isEmpty() ? "$" : path, violations);
        } else if (node.isNumber()) {
            checkNumber(node, path, violations);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", violations);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                check(field.getKey(), at + " (its name)", violations);
                walk(field.getValue(), at, violations);
            }
        }
    }

    private static void checkNumber(JsonNode number, String field, List<Violation> violations) {
        if (number.isDouble() || number.isFloat()) {
            if (!Double.isFinite(number.doubleValue())) {
                violations.add(new Violation(field, "range", "is not a finite number"));
            }
            return;
        }
        BigDecimal value = number.decimalValue();
        int before = Math.max(0, value.precision() - value.scale());
        int after = Math.max(0, value.scale());
        if (before > MAX_DIGITS || after > MAX_DIGITS) {
            violations.add(
                    new Violation(
                            field,
                            "range",
                            "has "
                                    + before
                                    + " digits before its decimal point and "
                                    + after
                                    + " after; the bus stores at most "
                                    + MAX_DIGITS
                                    + " on either side"));
        }
    }

    private static void check(String text, String field, List<Violation> violations) {
        String problem = problemIn(text);
        if (problem != null) {
            violations.add(new Violation(field, CHARACTERS_RULE, problem));
        }
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
