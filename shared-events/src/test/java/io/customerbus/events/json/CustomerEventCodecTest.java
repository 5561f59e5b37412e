package io.customerbus.events.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.testing.RawBytes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CustomerEventCodecTest {

    private final CustomerEventFactory factory =
            new CustomerEventFactory(
                    "purchase-service",
                    Clock.fixed(Instant.parse("2026-11-25T10:15:30.123456Z"), ZoneOffset.UTC));

    @Test
    void factoryFillsIdTimeSourceAndVersion() {
        CustomerEvent event = factory.create(EventTypes.PRODUCT_USE, "u1", "p1", null);

        assertThat(event.eventId()).isNotNull();
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123Z"));
        assertThat(event.source()).isEqualTo("purchase-service");
        assertThat(event.schemaVersion()).isEqualTo(CustomerEvent.CURRENT_SCHEMA_VERSION);
        assertThat(factory.create(EventTypes.PRODUCT_USE, "u1", "p1", null).eventId())
                .isNotEqualTo(event.eventId());
    }

    @Test
    void roundTripKeepsEveryFieldAndExactMoney() {
        CustomerEvent event = purchase(new BigDecimal("19.99"));

        CustomerEvent back = CustomerEventCodec.decode(CustomerEventCodec.encode(event));

        assertThat(back).isEqualTo(event);
        assertThat(back.dataDecimal("unitPrice")).isEqualByComparingTo("19.99");
        assertThat(back.dataText("currency")).isEqualTo("EUR");
    }

    @Test
    void writesTheBookExampleFieldsAsPlainJson() {
        String json = purchaseJson();

        assertThat(json)
                .contains("\"userId\":\"id123\"")
                .contains("\"eventType\":\"purchase\"")
                .contains("\"productId\":\"prod456\"")
                .contains("\"occurredAt\":\"2026-11-25T10:15:30.123Z\"");
    }

    @Test
    void readerIgnoresUnknownFields() {
        String json =
                "{\"eventId\":\"%s\",\"eventType\":\"product-use\",\"userId\":\"u1\",\"productId\":\"p1\","
                        + "\"occurredAt\":\"2026-11-25T10:00:00Z\",\"source\":\"s\",\"schemaVersion\":1,"
                        + "\"addedInAFutureVersion\":{\"x\":1}}";
        UUID id = UUID.randomUUID();

        CustomerEvent event =
                CustomerEventCodec.decode(json.formatted(id).getBytes(StandardCharsets.UTF_8));

        assertThat(event.eventId()).isEqualTo(id);
    }

    @Test
    void occurredAtIsReadToTheNanosecondAndAnOffsetAsItsInstant() throws Exception {
        String json =
                "{\"eventId\":\"%s\",\"eventType\":\"product-use\",\"userId\":\"u1\",\"productId\":\"p1\","
                        + "\"occurredAt\":\"2026-11-25T10:00:00.123456789Z\",\"source\":\"s\","
                        + "\"schemaVersion\":1}";

        CustomerEvent event =
                CustomerEventCodec.decode(
                        json.formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123456789Z"));
        // The schema asks for UTC; the mapper alone reads any RFC 3339 offset.
        assertThat(
                        CustomerEventJson.mapper()
                                .readValue("\"2026-11-25T11:00:00+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(CustomerEventJson.mapper().readValue("\"2016-12-31T23:59:60Z\"", Instant.class))
                .as("a leap second, as java.time reads it")
                .isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThatThrownBy(
                        () ->
                                CustomerEventJson.mapper()
                                        .readValue("\"2026-11-25T10:00Z\"", Instant.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("not an RFC 3339 date-time");
        assertThatThrownBy(
                        () ->
                                CustomerEventJson.mapper()
                                        .readValue("\"2026-11-25 10:00:00Z\"", Instant.class))
                .as("a space for the T: valid RFC 3339, never read by java.time")
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("with a 'T'");
    }

    @Test
    void publisherCannotEncodeAnInvalidEvent() {
        CustomerEvent noCurrency =
                factory.create(
                        EventTypes.PURCHASE,
                        "id123",
                        "prod456",
                        Map.of(
                                "purchaseId",
                                UUID.randomUUID().toString(),
                                "quantity",
                                0,
                                "unitPrice",
                                1));

        assertThatThrownBy(() -> CustomerEventCodec.encode(noCurrency))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("data.currency")
                .hasMessageContaining("(required)")
                .hasMessageContaining("data.quantity")
                .hasMessageContaining("(minimum)");
    }

    @Test
    void anEventLargerThanARecordHoldsIsRefusedByEveryWriter() {
        // Committed to an outbox, such an event could never be sent, and would hold up the rest.
        CustomerEvent huge = signUp("note", "x".repeat(CustomerEventCodec.MAX_EVENT_BYTES));
        CustomerEvent justFits = signUp("note", "x".repeat(999_000));

        assertThatThrownBy(() -> CustomerEventCodec.encode(huge))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("(size)")
                .hasMessageContaining("the bus carries events of at most 1000000");
        byte[] fits = CustomerEventCodec.encode(justFits);
        assertThat(CustomerEventCodec.decodeAs(fits, "accounts").json().length)
                .isLessThanOrEqualTo(CustomerEventCodec.MAX_EVENT_BYTES);
        byte[] tooLarge =
                new String(fits, StandardCharsets.UTF_8)
                        .replace("\"note\":\"", "\"note\":\"" + "y".repeat(2_000))
                        .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CustomerEventCodec.decodeAs(tooLarge, "accounts"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("(size)");
    }

    @Test
    void emptyBodyIsAClearError() {
        assertThatThrownBy(() -> CustomerEventCodec.decode(new byte[0]))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no JSON to read");
    }

    @Test
    void textNoStoreHoldsAndTimesNoRecordCarriesAreRefusedByEveryWriter() {
        // Each was accepted once and then stopped a relay or a subscriber for good (see
        // CarriageRules): a writer must refuse it, and a subscriber that meets one dead-letters it.
        byte[] valid = CustomerEventCodec.encode(signUp("name", "Ada"));
        String json = new String(valid, StandardCharsets.UTF_8);

        assertViolation(json.replace("\"Ada\"", "\"A\\u0000da\""), "data.name", "characters");
        assertViolation(json.replace("\"u1\"", "\"u1\\ud800\""), "userId", "characters");
        assertThatThrownBy(() -> CustomerEventCodec.encode(signUp("na\udc00me", "Ada")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(
                        "data.na\udc00me (its name): holds an unpaired surrogate (\\uDC00)");
        assertViolation(
                json.replaceFirst(
                        "\"occurredAt\":\"[^\"]+\"", "\"occurredAt\":\"1969-12-31T23:59:59Z\""),
                "occurredAt",
                "minimum");
        assertViolation(json.replace("\"Ada\"", "1e200000"), "data.name", "range");
        assertViolation(json.replace("\"Ada\"", "[1, 1e-20000]"), "data.name[1]", "range");
        assertThat(
                        CustomerEventCodec.decode(
                                        json.replace("\"Ada\"", "1e999")
                                                .getBytes(StandardCharsets.UTF_8))
                                .data()
                                .get("name"))
                .isEqualTo(new BigDecimal("1e999"));
        // Overlong forms the JSON parser would read as U+007F and "/": not UTF-8, refused.
        for (byte[] overlong :
                new byte[][] {
                    {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}
                }) {
            byte[] bytes = RawBytes.replacing(json, "Ada", overlong);
            assertThatThrownBy(() -> CustomerEventCodec.decode(bytes))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("not UTF-8")
                    .hasMessageContaining("at byte " + json.indexOf("Ada"));
        }
        assertThat(
                        CustomerEventCodec.decode(
                                        json.replace("Ada", "Zoë").getBytes(StandardCharsets.UTF_8))
                                .dataText("name"))
                .isEqualTo("Zoë");
        // A pair of surrogates is one character, and fine.
        assertThat(
                        CustomerEventCodec.decode(
                                        json.replace("Ada", "A\\ud83d\\ude00da")
                                                .getBytes(StandardCharsets.UTF_8))
                                .dataText("name"))
                .isEqualTo("A\ud83d\ude00da");

        CustomerEvent fromAnUnusableSource =
                new CustomerEvent(
                        UUID.randomUUID(),
                        EventTypes.ACCOUNT_CREATED,
                        "u1",
                        null,
                        Instant.parse("2026-11-25T10:15:30Z"),
                        "crm:",
                        1,
                        Map.of("email", "u1@example.com"));
        assertThatThrownBy(() -> CustomerEventCodec.encode(fromAnUnusableSource))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("source: is not a URI reference");
        assertThatThrownBy(() -> CustomerEventCodec.decodeAs(valid, "a_b:c"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("source: is not a URI reference");
        assertThat(CarriageRules.isSource("/devices/thermostats")).isTrue();
        assertThat(CarriageRules.isSource("crm:")).isFalse();
    }

    @Test
    void anIdInUpperCaseIsWrittenOnAsTheBusWritesIds() {
        CustomerEvent event = purchase(new BigDecimal("19.99"));
        String lower = event.eventId().toString();
        byte[] upper =
                new String(CustomerEventCodec.encode(event), StandardCharsets.UTF_8)
                        .replace(lower, lower.toUpperCase())
                        .getBytes(StandardCharsets.UTF_8);

        ValidEvent read = CustomerEventCodec.decodeAs(upper, "accounts");

        assertThat(read.event().eventId()).isEqualTo(event.eventId());
        assertThat(new String(read.json(), StandardCharsets.UTF_8))
                .contains("\"eventId\":\"" + lower + "\"");
        assertThat(read.json())
                .isEqualTo(
                        CustomerEventCodec.decodeAs(CustomerEventCodec.encode(event), "accounts")
                                .json());
    }

    @Test
    void textsTooLongForTheSchemasPatternsAreRefusedForTheirLength() {
        // Unbounded, the email format's patterns took time growing with the square of the length
        // (an address of 500,000 characters: minutes of a core, for any publisher's request) and
        // the type's pattern overflowed the stack (an error, not a violation: a 500). Both now run
        // on texts of their schema's maximum length only.
        String json =
                new String(
                        CustomerEventCodec.encode(signUp("name", "Ada")), StandardCharsets.UTF_8);
        assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> {
                    assertViolation(
                            json.replace("u1@example.com", "@".repeat(500_000) + " "),
                            "data.email",
                            "maxLength");
                    assertViolation(
                            json.replace("u1@example.com", "a".repeat(300_000) + "@example.com"),
                            "data.email",
                            "maxLength");
                    assertViolation(
                            json.replace(
                                    "\"account-created\"", "\"a" + "-a".repeat(200_000) + "\""),
                            "eventType",
                            "maxLength");
                });
        // Within the length, the format and the pattern apply as before.
        assertViolation(json.replace("u1@example.com", "not an address"), "data.email", "format");
        assertViolation(json.replace("\"account-created\"", "\"Account\""), "eventType", "pattern");
        assertThat(CustomerEventSchema.isEmail("a".repeat(250) + "@example.com")).isFalse();
        assertThat(CustomerEventSchema.isEmail("u1@example.com")).isTrue();
    }

    @Test
    void aTextEndingInALineBreakDoesNotMatchAPatternAnchoredAtItsEnd() {
        // JSON Schema's patterns are ECMA-262's, where "$" is the end of the text; Java's "$" also
        // matched before a final line break, and "EUR\n" passed as a currency.
        String json = purchaseJson();

        assertViolation(json.replace("\"EUR\"", "\"EUR\\n\""), "data.currency", "pattern");
        assertViolation(json.replace("\"EUR\"", "\"EUR\\r\\n\""), "data.currency", "pattern");
        assertViolation(json.replace("\"purchase\"", "\"purchase\\n\""), "eventType", "pattern");
        // The gateway's reader sets the source from the token; the plain reader checks the body's.
        byte[] source =
                json.replace("\"purchase-service\"", "\"purchase-service\\n\"")
                        .getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> CustomerEventCodec.decode(source), "source", "pattern");
        // An anchor escaped or in a character class is a dollar sign, in both engines.
        assertThat(EcmaScriptEndAnchors.javaEquivalent("^[$A-Z]{3}\\$$"))
                .isEqualTo("^[$A-Z]{3}\\$\\z");
    }

    @Test
    void aWholeNumberBeyondALongIsComparedWithTheBoundsByItsValue() {
        // The validator read -18446744073709551615.0 by its low 64 bits, as 1: a quantity that
        // passed "minimum: 1", and a schema version that passed "maximum: 1".
        String json = purchaseJson();

        assertViolation(
                json.replace("\"quantity\":2", "\"quantity\":-18446744073709551615.0"),
                "data.quantity",
                "minimum");
        assertViolation(
                json.replace("\"schemaVersion\":1", "\"schemaVersion\":18446744073709551617.0"),
                "schemaVersion",
                "maximum");
        assertThat(
                        CustomerEventCodec.decode(
                                        json.replace(
                                                        "\"quantity\":2",
                                                        "\"quantity\":18446744073709551617.0")
                                                .getBytes(StandardCharsets.UTF_8))
                                .data()
                                .get("quantity"))
                .hasToString("18446744073709551617.0");
    }

    @Test
    void contentAfterTheEventIsRefusedNotDropped() {
        String one = purchaseJson();

        assertViolation(one + "\n" + one, "$", "json");
        assertViolation(one + " []", "$", "json");
    }

    private static void assertViolation(String json, String field, String rule) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> CustomerEventCodec.decode(bytes), field, rule);
        assertRefused(() -> CustomerEventCodec.decodeAs(bytes, "accounts"), field, rule);
    }

    private static void assertRefused(Runnable reader, String field, String rule) {
        assertThatThrownBy(reader::run)
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        refused ->
                                assertThat(refused.violations())
                                        .extracting(Violation::field, Violation::rule)
                                        .contains(tuple(field, rule)));
    }

    /** A sign-up of u1 with its email and one more field. */
    private CustomerEvent signUp(String field, Object value) {
        return factory.create(
                EventTypes.ACCOUNT_CREATED,
                "u1",
                null,
                Map.of("email", "u1@example.com", field, value));
    }

    /** A valid purchase as its JSON text, for tests that break one of its fields. */
    private String purchaseJson() {
        return new String(
                CustomerEventCodec.encode(purchase(BigDecimal.ONE)), StandardCharsets.UTF_8);
    }

    private CustomerEvent purchase(BigDecimal unitPrice) {
        return factory.create(
                EventTypes.PURCHASE,
                "id123",
                "prod456",
                Map.of(
                        "purchaseId",
                        UUID.randomUUID().toString(),
                        "quantity",
                        2,
                        "unitPrice",
                        unitPrice,
                        "currency",
                        "EUR"));
    }
}
