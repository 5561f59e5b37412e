package io.customerbus.crm.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** What the CRM knows about a customer, built only from the bus. */
public record CustomerProfileView(
        String userId,
        Instant firstSeen,
        Instant lastSeen,
        long eventCount,
        Instant lastContact,
        Map<String, Long> eventsByType,
        Map<String, BigDecimal> totalSpent,
        // Numeric, as quantities are summed: an integer of the contract may exceed a long.
        Map<String, BigDecimal> productsOwned) {}
