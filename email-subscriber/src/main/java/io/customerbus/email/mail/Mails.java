package io.customerbus.email.mail;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.qute.CheckedTemplate;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The emails, rendered by Qute from templates/Mails (an HTML and a plain-text part each; the HTML
 * escapes whatever the customer typed).
 */
public final class Mails {

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
        return Optional.ofNullable(mail).map(m -> m.to(to));
    }

    /**
     * Starts sending; completes once the provider accepted the message (or failed). Started from a
     * thread of its own, never from the caller's: a subscriber runs on the Kafka connector's
     * ordered worker context, and the first render of a template is queued on the current context —
     * behind the very method waiting for it, until the send timeout (then the mail went out twice).
     */
    public static CompletableFuture<Void> send(MailTemplateInstance mail) {
        return CompletableFuture.supplyAsync(
                        () -> mail.send().subscribeAsCompletionStage(), STARTER)
                .thenCompose(accepted -> accepted);
    }

    // Only starts sends (non-blocking), so one thread is enough.
    private static final Executor STARTER =
            Executors.newSingleThreadExecutor(
                    task -> {
                        Thread thread = new Thread(task, "mail-starter");
                        thread.setDaemon(true);
                        return thread;
                    });

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
