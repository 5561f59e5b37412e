package io.customerbus.crm.rest;

import java.time.Instant;

/** A customer found by search, and whether the user id or a product matched. */
public record CustomerMatch(String userId, Instant lastSeen, long eventCount, String matchedOn) {}
