package io.customerbus.analytics.store;

/**
 * What a purchase or refund does to the sales figures: signed units and revenue (refunds subtract),
 * revenue in ten-thousandths of the currency unit so that sums stay exact integers.
 */
public record Sale(String productId, String currency, Kind kind, long units, long revenue) {

    /** Fixed point of stored revenue: 4 decimals covers every ISO 4217 currency (at most 3). */
    public static final int REVENUE_SCALE = 4;

    public enum Kind {
        PURCHASE("purchases"),
        REFUND("refunds");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The counter it increments: "purchases" or "refunds". */
        public String field() {
            return field;
        }
    }
}
