package io.customerbus.purchase.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A purchase as recorded; this table is its source of truth. Never leaves the service layer. */
@Entity
@Table(name = "purchase")
public class Purchase extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "product_id")
    public String productId;

    public int quantity;

    @Column(name = "unit_price")
    public BigDecimal unitPrice;

    @Column(name = "total_price")
    public BigDecimal totalPrice;

    public String currency;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "refunded_at")
    public Instant refundedAt;

    @Column(name = "refund_event_id")
    public UUID refundEventId;

    public boolean isRefunded() {
        return refundedAt != null;
    }

    /** One page of a customer's purchases, newest first. */
    public static List<Purchase> pageOf(String userId, int page, int size) {
        return find(
                        "userId",
                        Sort.descending("createdAt").and("id", Sort.Direction.Descending),
                        userId)
                .page(Page.of(page, size))
                .list();
    }

    public static long countOf(String userId) {
        return count("userId", userId);
    }
}
