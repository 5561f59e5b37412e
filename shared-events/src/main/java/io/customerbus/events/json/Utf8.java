package io.customerbus.events.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Whether bytes are UTF-8, as JSON on the wire must be (RFC 8259, section 8.1). The JSON parser is
 * lenient: it reads an overlong form ({@code C1 BF} as U+007F, {@code E0 80 AF} as "/") as the
 * character it spells. A subscriber that keeps an event's bytes as they came — the CRM stores them
 * in {@code jsonb} — would then hold bytes PostgreSQL refuses, and one that compares texts would
 * see a "/" that no filter of the raw bytes saw; so a reader refuses them.
 */
final class Utf8 {

    private Utf8() {}

    /** Null for UTF-8; otherwise what is wrong, and where. */
    static String problem(byte[] bytes) {
        int first = 0;
        while (first < bytes.length && bytes[first] >= 0) {
            first++; // ASCII, as nearly every event is: nothing to decode
        }
        if (first == bytes.length) {
            return null;
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder(); // reports, never replaces
        ByteBuffer rest = ByteBuffer.wrap(bytes, first, bytes.length - first);
        try {
            strict.decode(rest);
            return null;
        } catch (CharacterCodingException e) {
            return "the bytes are not UTF-8 (an overlong or invalid sequence at byte "
                    + rest.position()
                    + ")";
        }
    }
}
