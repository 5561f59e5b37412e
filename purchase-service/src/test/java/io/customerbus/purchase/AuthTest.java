package io.customerbus.purchase;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.purchase.support.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decentralised JWT (book ch. 14): who may buy and read what. */
@QuarkusTest
class AuthTest {

    private static final String PURCHASES = PurchaseApiTest.PURCHASES;

    static Stream<Arguments> rejectedTokens() {
        return Stream.of(
                Arguments.of("no token", null),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("bad signature", TestJwt.signedByStranger("alice")),
                Arguments.of("expired", TestJwt.expired("alice")),
                Arguments.of("wrong audience", TestJwt.forAudience("alice", "another-platform")),
                Arguments.of("wrong issuer", TestJwt.fromIssuer("alice", "someone-else")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedTokens")
    void invalidOrMissingTokenIsUnauthorized(String name, String token) {
        var request =
                given().contentType(ContentType.JSON)
                        .body(PurchaseApiTest.purchase("p1", 1, "1.00", "EUR"));
        if (token != null) {
            request.auth().oauth2(token);
        }

        request.post(PURCHASES)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void customerCannotReadAnotherCustomersPurchase() {
        String owner = "owner-" + UUID.randomUUID();
        String id =
                PurchaseApiTest.post(owner, PurchaseApiTest.purchase("p1", 1, "1.00", "EUR"), null)
                        .path("id");

        given().auth()
                .oauth2(TestJwt.customer("intruder"))
                .get(PURCHASES + "/" + id)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestJwt.customer("intruder"))
                .post(PURCHASES + "/" + id + "/refund")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestJwt.customer("intruder"))
                .queryParam("userId", owner)
                .get(PURCHASES)
                .then()
                .statusCode(403);
    }

    @Test
    void customerCannotBuyForSomeoneElse() {
        var body = new java.util.HashMap<>(PurchaseApiTest.purchase("p1", 1, "1.00", "EUR"));
        body.put("userId", "victim");

        given().auth()
                .oauth2(TestJwt.customer("mallory"))
                .contentType(ContentType.JSON)
                .body(body)
                .post(PURCHASES)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void adminMayBuyAndReadForAnyCustomer() {
        String customer = "cust-" + UUID.randomUUID();
        var body = new java.util.HashMap<>(PurchaseApiTest.purchase("p1", 1, "1.00", "EUR"));
        body.put("userId", customer);
        String admin = TestJwt.withRoles("support-1", "purchase-admin");

        String id =
                given().auth()
                        .oauth2(admin)
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post(PURCHASES)
                        .then()
                        .statusCode(201)
                        .body("userId", equalTo(customer))
                        .extract()
                        .path("id");
        given().auth().oauth2(admin).get(PURCHASES + "/" + id).then().statusCode(200);
        given().auth()
                .oauth2(admin)
                .queryParam("userId", customer)
                .get(PURCHASES)
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
    }
}
