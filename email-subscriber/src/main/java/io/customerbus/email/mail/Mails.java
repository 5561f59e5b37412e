package io.customerbus.email.mail;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The emails, rendered by Qute from templates/Mails (an HTML and a plain-text part each; the HTML
 * escapes whatever the customer typed).
 */
public final class Mails {

    /** A line break, with the indentation around it, between two tags. */
    private static final Pattern BREAK_BETWEEN_TAGS = Pattern.compile(">\\s*\\n\\s*<");

    /** What an order confirmation says. */
    public record Order(
            String reference,
            String productId,
            long quantity,
            BigDecimal unitPrice,
            BigDecimal total,
            String currency) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance purchaseConfirmation(String userId, Order order);

        static native TemplateInstance welcome(String userId);
    }

    private Mails() {}

    /** The email an event calls for, or empty when it has no recipient address. */
    public static Optional<Mail> forEvent(CustomerEvent event) {
        String to = event.dataText("email");
        if (to == null || to.isBlank()) {
            return Optional.empty();
        }
        return switch (event.eventType()) {
            case EventTypes.PURCHASE -> {
                Order order = order(event);
                yield Optional.of(
                        render(Templates.purchaseConfirmation(event.userId(), order))
                                .setSubject("Your order " + order.reference())
                                .addTo(to));
            }
            case EventTypes.ACCOUNT_CREATED ->
                    Optional.of(
                            render(Templates.welcome(event.userId()))
                                    .setSubject("Welcome to Customer Event Bus")
                                    .addTo(to));
            default -> Optional.empty();
        };
    }

    /**
     * Both parts of a template. The HTML's line breaks between tags (where they mean nothing) are
     * dropped: the mail client writes each line of a body to the socket on its own and waits for it
     * before the next, which made socket writes 39 % of this service's CPU (README: Email
     * benchmark). An HTML part the client must encode quoted-printable (any non-ASCII character, or
     * a line over 998 characters) is wrapped at 76 characters by the client all the same.
     */
    private static Mail render(TemplateInstance template) {
        String html = variant(template, Variant.TEXT_HTML);
        return new Mail()
                .setText(variant(template, Variant.TEXT_PLAIN))
                .setHtml(BREAK_BETWEEN_TAGS.matcher(html.strip()).replaceAll("><"));
    }

    private static String variant(TemplateInstance template, String contentType) {
        return template.setAttribute(
                        TemplateInstance.SELECTED_VARIANT, Variant.forContentType(contentType))
                .render();
    }

    private static Order order(CustomerEvent event) {
        BigDecimal quantity = event.dataDecimal("quantity");
        BigDecimal unit = event.dataDecimal("unitPrice");
        BigDecimal total = event.dataDecimal("totalPrice");
        return new Order(
                event.dataText("purchaseId"),
                event.productId(),
                quantity.longValueExact(),
                unit,
                total != null ? total : unit.multiply(quantity),
                event.dataText("currency"));
    }
}
