package io.customerbus.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An ISO-8601 date-time with its zone: 2026-11-25T10:00:00Z or 2026-11-25T11:00:00+01:00. */
final class IsoInstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException(
                    "'"
                            + value
                            + "' is not an ISO-8601 date-time with a zone, e.g."
                            + " 2026-11-25T10:00:00Z");
        }
    }
}
