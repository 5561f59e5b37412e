package io.customerbus.runtime.http;

/**
 * For a {@code @Pattern} on a text parameter that reaches PostgreSQL: its {@code text} cannot hold
 * U+0000, so a NUL would be the database's error, a 500, instead of the caller's 400.
 */
public final class StorableText {

    /** No U+0000. */
    public static final String NO_NUL = "[^\\x00]*";

    public static final String NUL_MESSAGE = "must not contain U+0000 (NUL)";

    private StorableText() {}
}
