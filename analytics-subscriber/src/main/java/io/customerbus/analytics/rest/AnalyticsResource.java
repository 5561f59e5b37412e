package io.customerbus.analytics.rest;

import io.customerbus.analytics.store.AnalyticsQueries;
import io.customerbus.analytics.store.AnalyticsQueries.Bucket;
import io.customerbus.analytics.store.AnalyticsQueries.Summary;
import io.customerbus.analytics.store.AnalyticsQueries.TopProduct;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Business metrics for analysts (role analyst), by UTC day or hour; dates are ISO (yyyy-MM-dd),
 * default today. Bad parameters are problem+json with the reason.
 */
@Path("/api/analytics/v1")
@RolesAllowed(AnalyticsResource.ANALYST_ROLE)
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    public static final String ANALYST_ROLE = "analyst";

    /** Longest ranges: the daily retention, and a week of hours. */
    static final int MAX_DAYS = 400;

    static final int MAX_HOURLY_DAYS = 7;

    @Inject AnalyticsQueries queries;

    private final Clock clock = Clock.systemUTC();

    @GET
    @Path("summary")
    @Operation(summary = "Events by type, sales by currency and unique customers over [from, to]")
    public Summary summary(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate[] range = range(from, to, MAX_DAYS);
        return queries.summary(range[0], range[1]);
    }

    @GET
    @Path("products/top")
    @Operation(summary = "The day's products by net units sold, with their sales per currency")
    public List<TopProduct> top(
            @QueryParam("day") String day, @QueryParam("limit") @DefaultValue("10") String limit) {
        return queries.top(date("day", day), limit(limit));
    }

    @GET
    @Path("event-types")
    @Operation(summary = "Events per type in each hour or day of [from, to]")
    public List<Bucket> eventTypes(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("bucket") @DefaultValue("hour") String bucket) {
        ChronoUnit unit =
                switch (bucket) {
                    case "hour" -> ChronoUnit.HOURS;
                    case "day" -> ChronoUnit.DAYS;
                    default ->
                            throw new BadRequestException(
                                    "bucket must be 'hour' or 'day', not '" + bucket + "'");
                };
        LocalDate[] range = range(from, to, unit == ChronoUnit.HOURS ? MAX_HOURLY_DAYS : MAX_DAYS);
        return queries.eventTypes(range[0], range[1], unit);
    }

    private LocalDate[] range(String from, String to, int maxDays) {
        LocalDate start = date("from", from);
        LocalDate end = to == null ? (from == null ? start : LocalDate.now(clock)) : date("to", to);
        if (end.isBefore(start)) {
            throw new BadRequestException("to (" + end + ") is before from (" + start + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) >= maxDays) {
            throw new BadRequestException("at most " + maxDays + " days at a time");
        }
        return new LocalDate[] {start, end};
    }

    /** Parsed here, not by JAX-RS, whose conversion failures are 404s rather than problems. */
    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException(
                "limit must be a whole number from 1 to 100, not '" + value + "'");
    }

    private LocalDate date(String name, String value) {
        if (value == null) {
            return LocalDate.now(clock);
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(
                    name + " must be an ISO date (yyyy-MM-dd), not '" + value + "'");
        }
        // The ISO parser takes years up to +999999999, where a day more is no date at all.
        if (date.getYear() < 1970 || date.getYear() > 9999) {
            throw new BadRequestException(
                    name + " must be a date from 1970 to 9999, not '" + value + "'");
        }
        return date;
    }
}
