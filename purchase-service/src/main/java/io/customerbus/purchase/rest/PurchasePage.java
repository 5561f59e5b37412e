package io.customerbus.purchase.rest;

import java.util.List;

/** One page of purchases, newest first, with the total count. */
public record PurchasePage(List<PurchaseView> items, int page, int size, long total) {}
