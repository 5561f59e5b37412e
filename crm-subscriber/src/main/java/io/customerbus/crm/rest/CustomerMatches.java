package io.customerbus.crm.rest;

import java.util.List;

/** The answer to a customer search. */
public record CustomerMatches(String query, List<CustomerMatch> items) {}
