package io.customerbus.purchase.service;

import jakarta.ws.rs.ForbiddenException;

/**
 * Who is calling, from the verified JWT: {@code sub} is the customer, {@code email} their contact
 * address, and the purchase-admin role may act for anyone.
 */
public record Caller(String userId, String email, boolean admin) {

    public static final String ADMIN_ROLE = "purchase-admin";

    /** The customer a request acts for: the caller, or anyone when the caller is an admin. */
    public String actingFor(String requestedUserId) {
        if (requestedUserId == null || requestedUserId.equals(userId)) {
            return userId;
        }
        if (!admin) {
            throw new ForbiddenException("only " + ADMIN_ROLE + " may act for another customer");
        }
        return requestedUserId;
    }

    public void requireAccessTo(String ownerId) {
        if (!admin && !ownerId.equals(userId)) {
            throw new ForbiddenException("this purchase belongs to another customer");
        }
    }
}
