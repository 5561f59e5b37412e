package io.customerbus.email.mail;

import io.quarkus.qute.EngineConfiguration;
import io.quarkus.qute.ParserHelper;
import io.quarkus.qute.ParserHook;
import java.util.regex.Pattern;

/**
 * Drops the line breaks between tags of the HTML templates as they are parsed — once, not per
 * email. Between tags a line break means nothing, and the mail client writes each line of a body to
 * the socket on its own and waits for it before the next: socket writes were 39 % of this service's
 * CPU (README: Email benchmark). An HTML part the client must encode quoted-printable (any
 * non-ASCII character, or a line over 998 characters) is wrapped at 76 characters by the client all
 * the same.
 */
@EngineConfiguration
public class HtmlLineBreaks implements ParserHook {

    /** A line break, with the indentation around it, between two tags. */
    private static final Pattern BETWEEN_TAGS = Pattern.compile(">\\s*\\n\\s*<");

    @Override
    public void beforeParsing(ParserHelper parser) {
        if (parser.getTemplateId().endsWith(".html")) {
            parser.addContentFilter(html -> BETWEEN_TAGS.matcher(html.strip()).replaceAll("><"));
        }
    }
}
