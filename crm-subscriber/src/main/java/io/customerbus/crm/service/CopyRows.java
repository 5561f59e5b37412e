package io.customerbus.crm.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in PostgreSQL's COPY text format: tab-separated, one per line, {@code \N} for null, and
 * backslash, tab, newline and carriage return escaped. JSON needs no other escaping, so event
 * payloads are copied byte for byte.
 */
final class CopyRows {

    private final ByteArrayOutputStream out;
    private boolean lineStart = true;

    CopyRows(int expectedRows) {
        out = new ByteArrayOutputStream(Math.max(1024, expectedRows * 512));
    }

    CopyRows text(String value) {
        return bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    CopyRows bytes(byte[] value) {
        if (!lineStart) {
            out.write('\t');
        }
        lineStart = false;
        if (value == null) {
            out.write('\\');
            out.write('N');
            return this;
        }
        for (byte b : value) {
            switch (b) {
                case '\\' -> escaped('\\');
                case '\t' -> escaped('t');
                case '\n' -> escaped('n');
                case '\r' -> escaped('r');
                default -> out.write(b);
            }
        }
        return this;
    }

    void endRow() {
        out.write('\n');
        lineStart = true;
    }

    InputStream stream() {
        return new ByteArrayInputStream(out.toByteArray());
    }

    private void escaped(char c) {
        out.write('\\');
        out.write(c);
    }
}
