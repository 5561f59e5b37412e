package io.customerbus.runtime.operations;

/**
 * An operator's action was done, but its entry could not be written to the {@link AuditLog}. Told
 * apart from a failure, because the two call for opposite answers: a failed action may be tried
 * again, this one must not be — a re-drive would send its letters a second time — and its record is
 * to be made by hand.
 */
public final class NotAudited extends Exception {

    NotAudited(String done, Throwable cause) {
        super(
                done
                        + " was done, but the audit log "
                        + AuditLog.TOPIC
                        + " could not record it ("
                        + (cause.getMessage() == null ? cause : cause.getMessage())
                        + "): do not repeat it; record it by hand",
                cause);
    }
}
