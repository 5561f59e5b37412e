package io.customerbus.events;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event types known today. The set is open: readers skip types they do not know, so a publisher
 * may add one without coordinating with every subscriber.
 */
public final class EventTypes {

    public static final String ACCOUNT_CREATED = "account-created";
    public static final String PURCHASE = "purchase";
    public static final String REFUND = "refund";
    public static final String PRODUCT_TRANSFER = "product-transfer";
    public static final String PRODUCT_USE = "product-use";
    public static final String SUPPORT_CALL = "support-call";

    public static final Set<String> KNOWN =
            Set.of(ACCOUNT_CREATED, PURCHASE, REFUND, PRODUCT_TRANSFER, PRODUCT_USE, SUPPORT_CALL);

    /** Lower-kebab, as the schema requires: {@code purchase}, {@code product-transfer}. */
    private static final Pattern WELL_FORMED = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private EventTypes() {}

    public static boolean isWellFormed(String type) {
        return type != null && type.length() <= 64 && WELL_FORMED.matcher(type).matches();
    }
}
