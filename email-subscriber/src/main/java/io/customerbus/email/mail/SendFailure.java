package io.customerbus.email.mail;

import io.vertx.ext.mail.SMTPException;

/**
 * Why a send failed, and whether trying again can help. The provider's own answer decides when
 * there is one (4xx: later, 5xx: never); the mail client refusing the message itself is for good
 * too; anything else — refused connection, timeout, a dropped line — is taken as passing. {@code
 * refusedBy} names who refused it for good.
 */
public record SendFailure(boolean permanent, String reason, String refusedBy) {

    public SendFailure(boolean permanent, String reason) {
        this(permanent, reason, "the provider");
    }

    public static SendFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException refused) {
                // The mail client checks the addresses before it connects, by a rule of its own:
                // the contract's email format takes some it refuses, such as a quoted local part
                // with a space. No provider was asked, and none will be on a retry.
                return new SendFailure(true, refused.getMessage(), "the mail client");
            }
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
