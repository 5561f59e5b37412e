package io.customerbus.email.mail;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import io.vertx.ext.mail.mailencoder.EmailAddress;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The emails, rendered by Qute from templates/Mails (an HTML and a plain-text part each; the HTML
 * escapes whatever the customer typed, and goes out as one line: {@link HtmlLineBreaks}).
 */
public final class Mails {

    /** What an order confirmation says. */
    /**
     * The numbers written out ({@link BigDecimal#toPlainString()}): a publisher may write {@code
     * 1e2} or {@code 1.0E7} for a price, which the contract accepts and which a customer should
     * read as 100 and 10000000, not in scientific notation.
     */
    public record Order(
            String reference,
            String productId,
            String quantity,
            String unitPrice,
            String total,
            String currency) {}

    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance purchaseConfirmation(String userId, Order order);

        static native MailTemplateInstance welcome(String userId);
    }

    private Mails() {}

    /** The email an event calls for, or empty when it has no recipient address. */
    public static Optional<MailTemplateInstance> forEvent(CustomerEvent event) {
        String to = event.dataText("email");
        if (to == null || to.isBlank()) {
            return Optional.empty();
        }
        MailTemplateInstance mail =
                switch (event.eventType()) {
                    case EventTypes.PURCHASE -> {
                        Order order = order(event);
                        yield Templates.purchaseConfirmation(event.userId(), order)
                                .subject("Your order " + order.reference());
                    }
                    case EventTypes.ACCOUNT_CREATED ->
                            Templates.welcome(event.userId())
                                    .subject("Welcome to Customer Event Bus");
                    default -> null;
                };
        if (mail == null) {
            return Optional.empty();
        }
        // The mail client takes an address by a rule of its own, narrower than the contract's email
        // format (a quoted local part with a space passes the format): one it refuses is this
        // event's trouble, found here by the mail client's own parser, not a failed send that would
        // be retried as if the provider were down. Only for an email that is made: an event of
        // another type may carry an address this subscriber never uses.
        try {
            new EmailAddress(to);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(
                    "the mail client refuses the address " + to, refused);
        }
        return Optional.of(mail.to(to));
    }

    /** Starts sending; completes once the provider accepted the message (or failed). */
    public static CompletableFuture<Void> send(MailTemplateInstance mail) {
        return mail.send().subscribeAsCompletionStage();
    }

    private static Order order(CustomerEvent event) {
        BigDecimal quantity = event.dataDecimal("quantity");
        BigDecimal unit = event.dataDecimal("unitPrice");
        BigDecimal total = event.dataDecimal("totalPrice");
        return new Order(
                event.dataText("purchaseId"),
                event.productId(),
                // As written: a quantity is an integer of any size, not a long.
                quantity.toPlainString(),
                unit.toPlainString(),
                (total != null ? total : unit.multiply(quantity)).toPlainString(),
                event.dataText("currency"));
    }
}
