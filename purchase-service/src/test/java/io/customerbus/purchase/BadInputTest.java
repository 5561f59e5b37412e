package io.customerbus.purchase;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.purchase.support.Outbox;
import io.customerbus.purchase.support.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of malformed request: a 4xx problem naming the field, nothing written, no event. */
@QuarkusTest
class BadInputTest {

    private static final String VALID_REST = "\"unitPrice\":19.99,\"currency\":\"EUR\"";

    @Inject DataSource dataSource;

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("broken JSON", "{\"productId\":\"p1\", oops", 400, "$"),
                bad("not an object", "[1,2]", 400, "$"),
                bad("empty body", "", 400, ""),
                bad("missing productId", "{\"quantity\":1," + VALID_REST + "}", 400, "productId"),
                bad(
                        "quantity as text",
                        "{\"productId\":\"p1\",\"quantity\":\"two\"," + VALID_REST + "}",
                        400,
                        "quantity"),
                bad(
                        "quantity zero",
                        "{\"productId\":\"p1\",\"quantity\":0," + VALID_REST + "}",
                        400,
                        "quantity"),
                bad(
                        "quantity negative",
                        "{\"productId\":\"p1\",\"quantity\":-3," + VALID_REST + "}",
                        400,
                        "quantity"),
                bad(
                        "quantity fractional",
                        "{\"productId\":\"p1\",\"quantity\":1.5," + VALID_REST + "}",
                        400,
                        "quantity"),
                bad(
                        "lower-case currency",
                        "{\"productId\":\"p1\",\"quantity\":1,\"unitPrice\":1,\"currency\":\"eur\"}",
                        400,
                        "currency"),
                bad(
                        "unknown currency",
                        "{\"productId\":\"p1\",\"quantity\":1,\"unitPrice\":1,\"currency\":\"XYZ\"}",
                        400,
                        "currency"),
                bad(
                        "absurd price",
                        "{\"productId\":\"p1\",\"quantity\":1,\"unitPrice\":1e12,\"currency\":\"EUR\"}",
                        400,
                        "unitPrice"),
                bad(
                        "negative price",
                        "{\"productId\":\"p1\",\"quantity\":1,\"unitPrice\":-1,\"currency\":\"EUR\"}",
                        400,
                        "unitPrice"),
                bad(
                        "sub-cent price",
                        "{\"productId\":\"p1\",\"quantity\":1,\"unitPrice\":0.001,\"currency\":\"EUR\"}",
                        400,
                        "unitPrice"),
                bad(
                        "productId too long",
                        "{\"productId\":\""
                                + "a".repeat(129)
                                + "\",\"quantity\":1,"
                                + VALID_REST
                                + "}",
                        400,
                        "productId"),
                bad(
                        "productId a number",
                        "{\"productId\":7,\"quantity\":1," + VALID_REST + "}",
                        400,
                        "productId"),
                bad(
                        "unknown field",
                        "{\"productId\":\"p1\",\"quantity\":1," + VALID_REST + ",\"discount\":5}",
                        400,
                        "discount"),
                bad("body over 64 KB", "{\"productId\":\"" + "a".repeat(70_000) + "\"}", 413, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsAProblemNamingTheFieldAndWritesNothing(
            String name, String body, int status, String field) {
        String user = "bad-" + UUID.randomUUID();

        Response response =
                given().auth()
                        .oauth2(TestJwt.customer(user))
                        .contentType("application/json")
                        .body(body)
                        .post(PurchaseApiTest.PURCHASES);

        response.then().statusCode(status).contentType("application/problem+json");
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("\tat ");
        if (!field.isEmpty()) {
            assertThat(fieldsNamedIn(response)).as(response.asString()).contains(field);
        }
        Outbox outbox = new Outbox(dataSource);
        assertThat(outbox.purchasesOf(user)).isZero();
        assertThat(outbox.rowsForUser(user)).isZero();
    }

    @org.junit.jupiter.api.Test
    void aNulInTheCustomerAnAdminNamesIsAProblemNotTheDatabasesError() {
        String admin = TestJwt.withRoles("support-1", "purchase-admin");
        Response posted =
                given().auth()
                        .oauth2(admin)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType("application/json")
                        .body(
                                "{\"productId\":\"p1\",\"quantity\":1,"
                                        + VALID_REST
                                        + ",\"userId\":\"a\\u0000b\"}")
                        .post(PurchaseApiTest.PURCHASES);
        posted.then().statusCode(400).contentType("application/problem+json");
        assertThat(fieldsNamedIn(posted)).as(posted.asString()).contains("userId");
        given().auth()
                .oauth2(admin)
                .urlEncodingEnabled(false)
                .get(PurchaseApiTest.PURCHASES + "?userId=a%00b")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @org.junit.jupiter.api.Test
    void aParameterNotOfItsTypeIsABadRequestWhileAnUnknownPurchaseIsNotFound() {
        String customer = TestJwt.customer("bad-param");
        Response page =
                given().auth().oauth2(customer).get(PurchaseApiTest.PURCHASES + "?page=two");
        page.then().statusCode(400).contentType("application/problem+json");
        assertThat(page.<String>path("detail")).contains("two");
        Response id =
                given().auth().oauth2(customer).get(PurchaseApiTest.PURCHASES + "/not-a-uuid");
        id.then().statusCode(400).contentType("application/problem+json");
        assertThat(id.<String>path("detail")).contains("not-a-uuid");
        given().auth()
                .oauth2(customer)
                .get(PurchaseApiTest.PURCHASES + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @org.junit.jupiter.api.Test
    void wrongContentTypeIsUnsupported() {
        given().auth()
                .oauth2(TestJwt.customer("bad-ct"))
                .contentType("text/plain")
                .body("productId=p1")
                .post(PurchaseApiTest.PURCHASES)
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    private static List<String> fieldsNamedIn(Response response) {
        List<String> fields = new ArrayList<>();
        String single = response.path("field");
        if (single != null) {
            fields.add(single);
        }
        List<String> violations = response.path("violations.field");
        if (violations != null) {
            fields.addAll(violations);
        }
        return fields;
    }

    private static Arguments bad(String name, String body, int status, String field) {
        return Arguments.of(name, body, status, field);
    }
}
