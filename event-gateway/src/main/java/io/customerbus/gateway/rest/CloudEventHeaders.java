package io.customerbus.gateway.rest;

import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.json.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attribute values of a binary-mode CloudEvent as its HTTP binding (1.0.2, §3.1.3.2) has them:
 * a header holds printable ASCII only, so a sender percent-encodes the UTF-8 of anything else (a
 * space, a quote, {@code %}, {@code é}), and a receiver must undo that — a quoted string first, for
 * older senders — and refuse bytes that are not UTF-8. The CloudEvents SDK hands the values on as
 * they came, so a subject {@code Jos%C3%A9} would not match the body's userId {@code José}.
 */
final class CloudEventHeaders {

    private static final String PREFIX = "ce-";

    private CloudEventHeaders() {}

    /** The headers with every {@code ce-*} value decoded; the others as they are. */
    static Map<String, List<String>> decoded(Map<String, List<String>> headers) {
        Map<String, List<String>> decoded = new LinkedHashMap<>();
        headers.forEach(
                (name, values) ->
                        decoded.put(
                                name,
                                name.toLowerCase(Locale.ROOT).startsWith(PREFIX)
                                        ? values.stream().map(value -> decode(name, value)).toList()
                                        : values));
        return decoded;
    }

    static String decode(String name, String value) {
        String unquoted = unquote(value);
        if (unquoted.chars().allMatch(c -> c != '%' && c < 0x80)) {
            return unquoted;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(unquoted.length());
        for (int i = 0; i < unquoted.length(); i++) {
            char c = unquoted.charAt(i);
            if (c == '%') {
                int high =
                        i + 2 < unquoted.length()
                                ? Character.digit(unquoted.charAt(i + 1), 16)
                                : -1;
                int low = high < 0 ? -1 : Character.digit(unquoted.charAt(i + 2), 16);
                if (low < 0) {
                    throw refused(
                            name, "has a % that is not followed by two hex digits (send %25)");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c <= 0xFF) {
                // A header arrives as ISO-8859-1, a char a byte: raw UTF-8 is decoded below too.
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refused(name, "is not percent-encoded UTF-8");
        }
    }

    /** A value in double quotes, with its backslash escapes undone (RFC 7230 §3.2.6). */
    private static String unquote(String value) {
        if (value.length() < 2
                || value.charAt(0) != '"'
                || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder unquoted = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            unquoted.append(c);
        }
        return unquoted.toString();
    }

    private static InvalidEventException refused(String header, String why) {
        return new InvalidEventException(
                new Violation(header.toLowerCase(Locale.ROOT), "cloudevents", header + " " + why));
    }
}
