package io.customerbus.runtime.http;

/**
 * For a {@code @Pattern} on a text parameter that reaches PostgreSQL: its {@code text} cannot hold
 * U+0000, so a NUL would be the database's error, a 500, instead of the caller's 400.
 */
public final class StorableText {

    /**
     * A customer's id as the contract counts it: 1 to 128 characters — code points, as the JSON
     * Schema's maxLength counts them (a regex matches a character outside the BMP as one, where
     * {@code @Size} counts its two UTF-16 units: an id of 65 emoji that the bus carries would be a
     * 400) — none of them NUL.
     */
    public static final String USER_ID = "[^\\x00]{1,128}";

    public static final String USER_ID_MESSAGE =
            "must be 1 to 128 characters, none of them U+0000 (NUL)";

    private StorableText() {}
}
