package io.customerbus.gateway.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.testing.BusProbe;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Proof of what is on the bus, absence included: a later event of the same customer is published
 * after anything committed for that customer before it (one outbox slot and one partition per
 * customer, in commit order), so once it has arrived, whatever an earlier request wrote for the
 * customer is on the bus — and what is not there never will be.
 */
public final class Sentinel {

    private Sentinel() {}

    /** Posts a sign-up of {@code userId} with the token (which must allow it) and awaits it. */
    public static void flush(BusProbe bus, String token, String userId) {
        Map<String, Object> sentinel = Events.signUp(userId);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(sentinel)
                .post("/api/events/v1/events")
                .then()
                .statusCode(202);
        UUID id = Events.idOf(sentinel);
        await("the sentinel of " + userId + " on the bus")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !bus.recordsOf(id).isEmpty());
    }
}
