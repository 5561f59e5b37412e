package io.customerbus.events.json;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * The schema's {@code pattern}s as JSON Schema reads them (ECMA-262), on {@code java.util.regex}.
 *
 * <p>One difference between the two engines lets bad input through: Java's {@code $} also matches
 * before a final line terminator, so {@code ^[A-Z]{3}$} took {@code "EUR\n"} as a currency and
 * {@code "purchase\n"} passed as an event type. In ECMA-262, without the multiline flag (a schema
 * has no flags), {@code $} matches only at the end of the text: Java's {@code \z}. Each {@code $}
 * that is an anchor — not escaped, not inside a character class — is compiled as {@code \z}. (Joni,
 * the library's ECMA-262 option, gives {@code $} Ruby's meaning, the end of any line, and took
 * {@code "EUR\n"} too.)
 */
final class EcmaScriptEndAnchors implements RegularExpressionFactory {

    static final EcmaScriptEndAnchors INSTANCE = new EcmaScriptEndAnchors();

    private EcmaScriptEndAnchors() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(javaEquivalent(regex));
        // A JSON Schema pattern is not implicitly anchored: it matches anywhere in the text.
        return text -> pattern.matcher(text).find();
    }

    static String javaEquivalent(String regex) {
        StringBuilder java = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                java.append(c).append(regex.charAt(++i));
            } else if (inClass) {
                inClass = c != ']';
                java.append(c);
            } else if (c == '$') {
                java.append("\\z");
            } else {
                inClass = c == '[';
                java.append(c);
            }
        }
        return java.toString();
    }
}
