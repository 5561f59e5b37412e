package io.customerbus.purchase.rest;

import io.customerbus.purchase.domain.Purchase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A purchase as the API shows it, with the id of the event it emitted. */
public record PurchaseView(
        UUID id,
        String userId,
        String productId,
        int quantity,
        BigDecimal unitPrice,
        BigDecimal totalPrice,
        String currency,
        String status,
        Instant createdAt,
        Instant refundedAt,
        UUID eventId,
        UUID refundEventId) {

    public static PurchaseView from(Purchase purchase) {
        return new PurchaseView(
                purchase.id,
                purchase.userId,
                purchase.productId,
                purchase.quantity,
                purchase.unitPrice,
                purchase.totalPrice,
                purchase.currency,
                purchase.isRefunded() ? "REFUNDED" : "COMPLETED",
                purchase.createdAt,
                purchase.refundedAt,
                purchase.eventId,
                purchase.refundEventId);
    }
}
