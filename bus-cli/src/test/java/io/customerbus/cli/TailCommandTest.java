package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventJson;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class TailCommandTest {

    @Test
    void printsOneCustomersEventsWithHeadersAndFiltersByType(QuarkusMainLauncher launcher)
            throws Exception {
        String user = "tail-" + UUID.randomUUID();
        CustomerEventFactory factory = new CustomerEventFactory("cli-test");
        List<CustomerEvent> events =
                List.of(
                        factory.create(
                                EventTypes.PURCHASE,
                                user,
                                "book",
                                Map.of(
                                        "purchaseId",
                                        UUID.randomUUID().toString(),
                                        "quantity",
                                        2,
                                        "unitPrice",
                                        new BigDecimal("9.50"),
                                        "totalPrice",
                                        new BigDecimal("19.00"),
                                        "currency",
                                        "EUR")),
                        factory.create(EventTypes.PRODUCT_USE, user, "book", null),
                        factory.create(EventTypes.PRODUCT_USE, user, "book", null));
        long now = System.currentTimeMillis();
        TestBus.publish(events, List.of(now, now, now));

        LaunchResult all =
                launcher.launch(
                        "tail",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "--from-beginning",
                        "--no-follow",
                        "--user",
                        user);
        assertThat(all.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(all.getOutput().split("── customer-events-", -1)).hasSize(4);
        assertThat(all.getOutput())
                .contains("key=" + user)
                .contains("ce_type: purchase")
                .contains("ce_id: " + events.get(0).eventId())
                .contains("\"totalPrice\" : 19.00");

        LaunchResult purchases =
                launcher.launch(
                        "tail",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "--from-beginning",
                        "--no-follow",
                        "--user",
                        user,
                        "--type",
                        "purchase",
                        "--json");
        assertThat(purchases.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> lines = purchases.getOutput().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = CustomerEventJson.mapper().readTree(lines.get(0));
        assertThat(line.path("key").asText()).isEqualTo(user);
        assertThat(line.path("headers").path("ce_type").asText()).isEqualTo("purchase");
        assertThat(line.path("value").path("eventId").asText())
                .isEqualTo(events.get(0).eventId().toString());

        LaunchResult limited =
                launcher.launch(
                        "tail",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "--from-beginning",
                        "--user",
                        user,
                        "--limit",
                        "2",
                        "--json");
        assertThat(limited.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(limited.getOutput().lines()).hasSize(2);
    }
}
