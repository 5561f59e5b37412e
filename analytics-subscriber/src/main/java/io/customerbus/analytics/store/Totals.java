package io.customerbus.analytics.store;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Sales of one currency (or one product in one currency): counts, net units, net revenue. Revenue
 * is a JSON string ("36.90"): a JSON number would reach a browser as a double and lose both its
 * scale and, for large sums, its exactness. Units are summed exactly: each stored counter holds 64
 * bits, and a sum of several (days, products) went past them and wrapped round to a negative.
 */
public record Totals(
        long purchases,
        long refunds,
        BigInteger units,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal revenue) {

    static final Totals ZERO = new Totals(0, 0, BigInteger.ZERO, BigDecimal.ZERO.setScale(2));

    /** Adds one stored counter ("purchases", "refunds", "units" or "revenue"). */
    Totals plus(String field, long value) {
        return switch (field) {
            case "purchases" -> new Totals(purchases + value, refunds, units, revenue);
            case "refunds" -> new Totals(purchases, refunds + value, units, revenue);
            case "units" ->
                    new Totals(purchases, refunds, units.add(BigInteger.valueOf(value)), revenue);
            case "revenue" ->
                    new Totals(
                            purchases,
                            refunds,
                            units,
                            normalised(revenue.add(BigDecimal.valueOf(value, Sale.REVENUE_SCALE))));
            default -> this;
        };
    }

    Totals plus(Totals other) {
        return new Totals(
                purchases + other.purchases,
                refunds + other.refunds,
                units.add(other.units),
                normalised(revenue.add(other.revenue)));
    }

    /** At least two decimals, no trailing zeros beyond them: 12.5 → 12.50, 0.1234 stays. */
    private static BigDecimal normalised(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 2 ? stripped.setScale(2) : stripped;
    }
}
