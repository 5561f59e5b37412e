package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.kafka.BusTopics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User story 2: with the platform running and events flowing, a team generates a subscriber, builds
 * and starts it — and nothing else is touched or restarted. It receives exactly its types: the
 * whole history with --from beginning, only new events with --from now.
 */
class NewSubscriberIT {

    private static final Pattern PURCHASE_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private LocalKafka kafka;
    private Tokens tokens;
    private TeamCheckout checkout;
    private final List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void startPlatform() throws Exception {
        PurchaseDatabase.recreate();
        PurchaseDatabase.recreate("crm_systest_a");
        kafka = new LocalKafka();
        tokens = new Tokens();
    }

    @AfterEach
    void stopPlatform() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void aGeneratedSubscriberGetsExactlyItsTypesWhileEverythingElseRunsUntouched()
            throws Exception {
        ServiceProcess purchases =
                start(
                        Platform.root(),
                        "purchase-service",
                        Map.of(
                                "PURCHASES_DB",
                                PurchaseDatabase.NAME,
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                tokens.publicKeyFile().toString()));
        ServiceProcess crm =
                start(
                        Platform.root(),
                        "crm-subscriber",
                        Map.of(
                                "CRM_DB",
                                "crm_systest_a",
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                tokens.publicKeyFile().toString()));
        long purchasePid = purchases.pid();
        long crmPid = crm.pid();
        String user = "story2-" + System.nanoTime();
        // History: purchases, one refunded, and a support call the new subscriber does not want.
        String refunded = buy(purchases, user);
        buy(purchases, user);
        refund(purchases, user, refunded);
        call(crm, user);

        // A team generates, builds and starts its subscriber in its own checkout.
        checkout = TeamCheckout.cloned();
        // Names that would make no Java class or package, or another subscriber's DLQ: refused.
        assertThat(checkout.refused("./platform", "new-subscriber", "loyalty-2", "--types", "*"))
                .contains("each part starting with a letter");
        assertThat(checkout.refused("./platform", "new-subscriber", "new", "--types", "*"))
                .contains("a keyword");
        assertThat(checkout.refused("./platform", "new-subscriber", "crm-v2", "--types", "*"))
                .contains("reserved");
        checkout.run(
                "./platform",
                "new-subscriber",
                "audit",
                "--types",
                "purchase,refund",
                "--from",
                "beginning",
                "--owner",
                "audit-team",
                "--no-format");
        assertThat(checkout.run("git", "status", "--porcelain").lines())
                .as("nothing of purchase-service or any other subscriber changed")
                .containsExactlyInAnyOrder(
                        " M pom.xml",
                        " M bus-cli/k8s/kafkauser.yaml",
                        " M bus-console/k8s/kafkauser.yaml",
                        " M k8s/base/kustomization.yaml",
                        " M k8s/overlays/dev/kustomization.yaml",
                        " M k8s/overlays/prod/kustomization.yaml",
                        "?? audit-subscriber/");
        // Builds offline; its Kubernetes manifests pass every check of k8s/ (typed models, ACLs
        // for its own group, scaler within the partitions, env vars it reads, ...).
        checkout.run(
                "mvn",
                "-B",
                "-q",
                "-o",
                "-pl",
                "audit-subscriber,k8s",
                "-am",
                "package",
                "-Dtest=ManifestsTest",
                "-Dsurefire.failIfNoSpecifiedTests=false");
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(BusTopics.deadLetter("audit"), 6, (short) 1)))
                    .all()
                    .get();
        }
        ServiceProcess fromBeginning = start(checkout.root(), "audit-subscriber", Map.of());
        ServiceProcess fromNow =
                start(
                        checkout.root(),
                        "audit-subscriber",
                        Map.of("AUDIT_GROUP", "audit-now", "AUDIT_AUTO_OFFSET_RESET", "latest"));

        // Events keep flowing.
        buy(purchases, user);
        call(crm, user);

        await("the history and the new purchase")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> received(fromBeginning, user),
                        r -> r.equals("{\"purchase\":3,\"refund\":1}"));
        await("only the new purchase")
                .atMost(Duration.ofSeconds(60))
                .until(() -> received(fromNow, user), r -> r.equals("{\"purchase\":1}"));
        // Both deployments described themselves on the catalog, next to the CRM.
        BusCli.Result catalog = new BusCli(kafka.bootstrapServers()).run("subscribers");
        assertThat(catalog.exitCode()).as(catalog.output()).isZero();
        assertThat(catalog.output())
                .containsPattern(
                        "audit\\s+audit-subscriber\\s+purchase,refund\\s+beginning\\s+audit-team\\s")
                .containsPattern("audit\\s+audit-now\\s+purchase,refund\\s+now\\s+audit-team\\s")
                .containsPattern("crm\\s+crm-subscriber\\s+\\*\\s+beginning\\s+customer-care\\s");
        assertThat(purchases.pid()).as("purchase-service never restarted").isEqualTo(purchasePid);
        assertThat(crm.pid()).as("crm-subscriber never restarted").isEqualTo(crmPid);
        await("the CRM keeps up")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Observed.lag(kafka, "crm-subscriber", BusTopics.CUSTOMER_EVENTS) == 0);
    }

    private String received(ServiceProcess subscriber, String user) throws Exception {
        return subscriber.get("/api/audit/v1/received?user=" + user).body();
    }

    private String buy(ServiceProcess purchases, String user) throws Exception {
        HttpResponse<String> bought =
                purchases.post(
                        "/api/purchases/v1/purchases",
                        tokens.customer(user),
                        "{\"productId\":\"book\",\"quantity\":1,\"unitPrice\":3.50,\"currency\":\"EUR\"}");
        assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
        Matcher id = PURCHASE_ID.matcher(bought.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private void refund(ServiceProcess purchases, String user, String purchaseId) throws Exception {
        HttpResponse<String> refunded =
                purchases.post(
                        "/api/purchases/v1/purchases/" + purchaseId + "/refund",
                        tokens.customer(user),
                        "");
        assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(200);
    }

    private void call(ServiceProcess crm, String user) throws Exception {
        HttpResponse<String> call =
                crm.post(
                        "/api/crm/v1/customers/" + user + "/calls",
                        tokens.agent("agent"),
                        "{\"channel\":\"chat\",\"summary\":\"hello\"}");
        assertThat(call.statusCode()).as(call.body()).isEqualTo(201);
    }

    private ServiceProcess start(Path root, String module, Map<String, String> env)
            throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        ServiceProcess service = new ServiceProcess(root, module, all).start();
        services.add(service);
        return service;
    }
}
