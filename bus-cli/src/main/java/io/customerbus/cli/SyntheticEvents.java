package io.customerbus.cli;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventCodec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Realistic, schema-valid customer events for load tests and demos: every type, a reproducible mix
 * (seeded), amounts in several currencies, transfers between the generated customers.
 */
final class SyntheticEvents {

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

    private final CustomerEventFactory factory;
    private final SplittableRandom random;
    private final String userPrefix;
    private final int customers;
    private final int products;
    private final Map<String, Long> made = new TreeMap<>();

    SyntheticEvents(String source, long seed, String userPrefix, int customers, int products) {
        this.factory = new CustomerEventFactory(source);
        this.random = new SplittableRandom(seed);
        this.userPrefix = userPrefix;
        this.customers = customers;
        this.products = products;
    }

    /**
     * Checks the options against the contract before any event goes out: the longest user id made
     * is the last customer's, so a prefix the contract refuses with it is refused at once, not
     * after the events of the shorter ids were published. A sign-up carries the id twice, as the
     * user and as its address's local part, which the email format takes only without spaces and
     * within 64 characters.
     *
     * @throws io.customerbus.events.json.InvalidEventException naming the violation
     */
    void checkOptions() {
        String longest = user(customers - 1);
        CustomerEventCodec.valid(
                factory.create(
                        EventTypes.ACCOUNT_CREATED,
                        longest,
                        null,
                        Map.of("email", longest + "@example.com")));
    }

    /** How many of each type were made so far, by type name (sorted). */
    Map<String, Long> madeByType() {
        return new TreeMap<>(made);
    }

    CustomerEvent next() {
        CustomerEvent event = make();
        made.merge(event.eventType(), 1L, Long::sum);
        return event;
    }

    private CustomerEvent make() {
        String user = user(random.nextInt(customers));
        String product = "product-" + random.nextInt(products);
        int dice = random.nextInt(100);
        if (dice < 35) {
            return factory.create(EventTypes.PURCHASE, user, product, purchase(user));
        }
        if (dice < 70) {
            return factory.create(EventTypes.PRODUCT_USE, user, product, null);
        }
        if (dice < 80) {
            return factory.create(
                    EventTypes.SUPPORT_CALL,
                    user,
                    null,
                    Map.of(
                            "callId",
                            UUID.randomUUID().toString(),
                            "channel",
                            random.nextBoolean() ? "phone" : "chat",
                            "summary",
                            "question about " + product));
        }
        if (dice < 88) {
            int quantity = 1 + random.nextInt(3);
            return factory.create(
                    EventTypes.REFUND,
                    user,
                    product,
                    Map.of(
                            "purchaseId", UUID.randomUUID().toString(),
                            "quantity", quantity,
                            "amount", price().multiply(BigDecimal.valueOf(quantity)),
                            "currency", currency()));
        }
        if (dice < 95) {
            return factory.create(
                    EventTypes.PRODUCT_TRANSFER,
                    user,
                    product,
                    Map.of("toUserId", user(random.nextInt(customers))));
        }
        return factory.create(
                EventTypes.ACCOUNT_CREATED, user, null, Map.of("email", user + "@example.com"));
    }

    /** As purchase-service writes one: with the buyer's address, for the order confirmation. */
    private Map<String, Object> purchase(String user) {
        int quantity = 1 + random.nextInt(3);
        BigDecimal unit = price();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("purchaseId", UUID.randomUUID().toString());
        data.put("email", user + "@example.com");
        data.put("quantity", quantity);
        data.put("unitPrice", unit);
        data.put("totalPrice", unit.multiply(BigDecimal.valueOf(quantity)));
        data.put("currency", currency());
        return data;
    }

    private BigDecimal price() {
        return BigDecimal.valueOf(100 + random.nextInt(9_900), 2);
    }

    private String currency() {
        return CURRENCIES[random.nextInt(CURRENCIES.length)];
    }

    private String user(int index) {
        return userPrefix + index;
    }
}
