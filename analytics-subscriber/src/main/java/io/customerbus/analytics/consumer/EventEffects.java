package io.customerbus.analytics.consumer;

import io.customerbus.analytics.store.EventEffect;
import io.customerbus.analytics.store.Sale;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.customerbus.runtime.subscriber.BusEvent;
import io.customerbus.runtime.subscriber.PoisonEventException;
import java.math.BigDecimal;

/**
 * What an event does to the aggregates. Every event counts for its type and its customer; purchases
 * add units and revenue (totalPrice, else unitPrice × quantity), refunds subtract theirs. Figures
 * the store cannot hold exactly are refused with a reason (dead-lettered), never rounded.
 */
final class EventEffects {

    private EventEffects() {}

    static EventEffect of(BusEvent read) {
        CustomerEvent event = read.event();
        return new EventEffect(
                read.partition(),
                read.offset(),
                event.eventId(),
                event.eventType(),
                event.userId(),
                event.occurredAt(),
                sale(event));
    }

    private static Sale sale(CustomerEvent event) {
        return switch (event.eventType()) {
            case EventTypes.PURCHASE -> {
                long quantity = quantity(event);
                BigDecimal total =
                        event.data().containsKey("totalPrice")
                                ? decimal(event, "totalPrice")
                                : decimal(event, "unitPrice")
                                        .multiply(BigDecimal.valueOf(quantity));
                yield new Sale(
                        event.productId(),
                        currency(event),
                        Sale.Kind.PURCHASE,
                        quantity,
                        scaled(event, total));
            }
            case EventTypes.REFUND ->
                    new Sale(
                            event.productId(),
                            currency(event),
                            Sale.Kind.REFUND,
                            -quantity(event),
                            -scaled(event, decimal(event, "amount")));
            default -> null;
        };
    }

    private static long quantity(CustomerEvent event) {
        BigDecimal quantity = decimal(event, "quantity");
        try {
            return quantity.longValueExact();
        } catch (ArithmeticException e) {
            throw new PoisonEventException(
                    event.eventId(), "quantity is not a whole number a 64-bit counter holds");
        }
    }

    private static String currency(CustomerEvent event) {
        Object currency = event.data().get("currency");
        if (!(currency instanceof String code) || !code.matches("[A-Z]{3}")) {
            throw new PoisonEventException(event.eventId(), "currency is not an ISO 4217 code");
        }
        return code;
    }

    private static BigDecimal decimal(CustomerEvent event, String field) {
        Object value = event.data().get(field);
        if (value == null) {
            throw new PoisonEventException(event.eventId(), field + " is missing");
        }
        try {
            return new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            throw new PoisonEventException(event.eventId(), field + " is not a number");
        }
    }

    /** The amount in ten-thousandths, exactly, or a refusal. */
    private static long scaled(CustomerEvent event, BigDecimal amount) {
        try {
            return amount.movePointRight(Sale.REVENUE_SCALE).longValueExact();
        } catch (ArithmeticException e) {
            throw new PoisonEventException(
                    event.eventId(),
                    "amount "
                            + amount.toPlainString()
                            + " has more than "
                            + Sale.REVENUE_SCALE
                            + " decimals or is too large to count exactly");
        }
    }
}
