package io.customerbus.crm.rest;

import java.util.List;

/** One page of a timeline, newest first, with the total count. */
public record TimelinePage(List<TimelineEntry> items, int page, int size, long total) {}
