package io.customerbus.email.mail;

import io.vertx.ext.mail.SMTPException;

/**
 * Why a send failed, and whether trying again can help. The provider's own answer decides when
 * there is one (4xx: later, 5xx: never); anything else — refused connection, timeout, a dropped
 * line — is taken as passing.
 */
public record SendFailure(boolean permanent, String reason) {

    public static SendFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SMTPException smtp) {
                return new SendFailure(
                        smtp.isPermanent(),
                        "SMTP "
                                + smtp.getReplyCode()
                                + " "
                                + String.join(" ", smtp.getReplyMessages()));
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SendFailure(false, root.getClass().getSimpleName() + ": " + root.getMessage());
    }
}
