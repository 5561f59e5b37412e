package io.customerbus.events.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** JSON with bytes no encoder would write, for what a reader must refuse. */
public final class RawBytes {

    private RawBytes() {}

    /** The JSON's UTF-8 bytes with the first {@code text} replaced by {@code bytes}. */
    public static byte[] replacing(String json, String text, byte[] bytes) {
        int at = json.indexOf(text);
        ByteArrayOutputStream spliced = new ByteArrayOutputStream();
        spliced.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        spliced.writeBytes(bytes);
        spliced.writeBytes(json.substring(at + text.length()).getBytes(StandardCharsets.UTF_8));
        return spliced.toByteArray();
    }

    /**
     * An overlong form of "/" (three bytes for one): the JSON parser reads it, UTF-8 forbids it.
     */
    public static byte[] overlongSlash() {
        return new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF};
    }
}
