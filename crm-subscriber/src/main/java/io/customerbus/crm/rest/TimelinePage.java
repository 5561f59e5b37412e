package io.customerbus.crm.rest;

import java.util.List;

/**
 * One page of a timeline, newest first, with the count of the whole timeline (of the type asked
 * for) and {@code next}: the {@code after} of the page that follows, null on the last one.
 */
public record TimelinePage(List<TimelineEntry> items, int size, long total, String next) {}
