package io.customerbus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.KafkaConnection;
import io.customerbus.runtime.operations.AuditLog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks a reviewer would make by hand on every overlay of k8s/, made on the rendered output:
 * each resource parses into its typed model without unknown fields (see {@link Models}), and the
 * platform's invariants hold across resources — the ones that break silently in a cluster.
 */
class ManifestsTest {

    static final Path ROOT =
            Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");
    static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    static final String BUS_TOPIC = "customer-events";

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theOverlaysTheReadmeNamesExist() throws IOException {
        assertThat(overlays()).contains("dev", "prod", "dev-crm-v2");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyResourceParsesIntoItsTypedModel(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);

        assertThat(rendered.models()).hasSameSizeAs(rendered.resources());
        assertThat(rendered.resources())
                .allSatisfy(
                        r ->
                                assertThat(r.path("metadata").path("namespace").asText())
                                        .as(Kustomize.id(r))
                                        .isEqualTo(
                                                r.path("kind").asText().equals("Namespace")
                                                        ? ""
                                                        : "customer-bus"));
        assertThat(rendered.all(Kafka.class)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkloadIsProbedBoundedAndUnprivileged(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);

        rendered.workloads()
                .forEach(
                        (id, template) -> {
                            PodSpec pod = template.getSpec();
                            assertThat(pod.getSecurityContext().getRunAsNonRoot())
                                    .as(id + " runAsNonRoot")
                                    .isTrue();
                            assertThat(pod.getAutomountServiceAccountToken())
                                    .as(id + " token automount")
                                    .isFalse();
                            ServiceAccount account =
                                    rendered.named(
                                                    ServiceAccount.class,
                                                    pod.getServiceAccountName())
                                            .orElseThrow(
                                                    () ->
                                                            new AssertionError(
                                                                    id
                                                                            + ": no ServiceAccount "
                                                                            + pod
                                                                                    .getServiceAccountName()));
                            assertThat(account.getAutomountServiceAccountToken())
                                    .as(id + " account")
                                    .isFalse();
                            for (Container c : pod.getContainers()) {
                                String where = id + " container " + c.getName();
                                assertThat(c.getReadinessProbe())
                                        .as(where + " readiness")
                                        .isNotNull();
                                assertThat(c.getLivenessProbe())
                                        .as(where + " liveness")
                                        .isNotNull();
                                for (String kind : List.of("requests", "limits")) {
                                    var amounts =
                                            kind.equals("requests")
                                                    ? c.getResources().getRequests()
                                                    : c.getResources().getLimits();
                                    assertThat(amounts)
                                            .as(where + " " + kind)
                                            .containsKeys("cpu", "memory");
                                }
                                var security = c.getSecurityContext();
                                assertThat(security.getAllowPrivilegeEscalation())
                                        .as(where)
                                        .isFalse();
                                assertThat(security.getCapabilities().getDrop())
                                        .as(where)
                                        .containsExactly("ALL");
                                assertThat(security.getCapabilities().getAdd())
                                        .as(where)
                                        .isNullOrEmpty();
                                assertThat(security.getPrivileged())
                                        .as(where)
                                        .isNotEqualTo(Boolean.TRUE);
                            }
                        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceDeploymentStartsAndServesThroughQuarkusHealth(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);

        assertThat(rendered.all(Deployment.class))
                .isNotEmpty()
                .allSatisfy(
                        d -> {
                            Container c =
                                    d.getSpec().getTemplate().getSpec().getContainers().get(0);
                            String id = "Deployment/" + d.getMetadata().getName();
                            assertThat(healthPath(c.getStartupProbe()))
                                    .as(id)
                                    .isEqualTo("/q/health/started");
                            assertThat(healthPath(c.getReadinessProbe()))
                                    .as(id)
                                    .isEqualTo("/q/health/ready");
                            assertThat(healthPath(c.getLivenessProbe()))
                                    .as(id)
                                    .isEqualTo("/q/health/live");
                            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                                    .as(id)
                                    .isTrue();
                        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceSelectsAWorkloadAndOneOfItsPorts(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);

        assertThat(rendered.all(Service.class))
                .isNotEmpty()
                .allSatisfy(
                        service -> {
                            Map<String, String> selector = service.getSpec().getSelector();
                            List<PodTemplateSpec> selected =
                                    rendered.workloads().values().stream()
                                            .filter(
                                                    t ->
                                                            t.getMetadata()
                                                                    .getLabels()
                                                                    .entrySet()
                                                                    .containsAll(
                                                                            selector.entrySet()))
                                            .toList();
                            assertThat(selected)
                                    .as("Service/" + service.getMetadata().getName())
                                    .hasSize(1);
                            Set<String> ports = new HashSet<>();
                            selected.get(0)
                                    .getSpec()
                                    .getContainers()
                                    .forEach(
                                            c ->
                                                    c.getPorts()
                                                            .forEach(
                                                                    p -> {
                                                                        ports.add(p.getName());
                                                                        ports.add(
                                                                                String.valueOf(
                                                                                        p
                                                                                                .getContainerPort()));
                                                                    }));
                            service.getSpec()
                                    .getPorts()
                                    .forEach(
                                            p ->
                                                    assertThat(ports)
                                                            .as(
                                                                    "Service/"
                                                                            + service.getMetadata()
                                                                                    .getName())
                                                            .contains(
                                                                    p.getTargetPort().getStrVal()
                                                                                    != null
                                                                            ? p.getTargetPort()
                                                                                    .getStrVal()
                                                                            : String.valueOf(
                                                                                    p.getTargetPort()
                                                                                            .getIntVal())));
                        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkloadHasADisruptionBudgetAndItsOwnNetworkPolicy(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);

        assertThat(policies)
                .anySatisfy(
                        p -> {
                            assertThat(p.getSpec().getPodSelector().getMatchLabels())
                                    .isNullOrEmpty();
                            assertThat(p.getSpec().getPodSelector().getMatchExpressions())
                                    .isNullOrEmpty();
                            assertThat(p.getSpec().getPolicyTypes())
                                    .containsExactlyInAnyOrder("Ingress", "Egress");
                            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
                            assertThat(p.getSpec().getEgress()).isNullOrEmpty();
                        });
        rendered.workloads()
                .forEach(
                        (id, template) -> {
                            Map<String, String> labels = template.getMetadata().getLabels();
                            assertThat(rendered.all(PodDisruptionBudget.class))
                                    .as(id + " PDB")
                                    .anyMatch(
                                            pdb ->
                                                    matches(
                                                            pdb.getSpec()
                                                                    .getSelector()
                                                                    .getMatchLabels(),
                                                            labels));
                            assertThat(policies)
                                    .as(id + " NetworkPolicy")
                                    .anyMatch(
                                            p ->
                                                    p.getSpec().getPodSelector().getMatchLabels()
                                                                    != null
                                                            && matches(
                                                                    p.getSpec()
                                                                            .getPodSelector()
                                                                            .getMatchLabels(),
                                                                    labels));
                        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyEnvVarIsOneTheServiceReadsAndEveryOneItNeedsIsSet(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        Map<String, Map<String, String>> exampleSecrets = exampleSecrets();

        for (Deployment d : rendered.all(Deployment.class)) {
            String id = "Deployment/" + d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            ServiceConfig config = ServiceConfig.of(ROOT, module(c.getImage()));
            Map<String, String> set = environment(rendered, exampleSecrets, c, id);

            Set<String> readable = new HashSet<>(config.envDefaults().keySet());
            KafkaConnection.SECURITY_SETTINGS.forEach(
                    s -> readable.add(KafkaConnection.envName(s)));
            assertThat(set.keySet())
                    .as(id + ": env vars its service never reads")
                    .allMatch(
                            k ->
                                    readable.contains(k)
                                            || k.startsWith("QUARKUS_")
                                            || k.startsWith("MP_"));
            assertThat(set.keySet())
                    .as(id + ": env vars its service needs in a cluster")
                    .containsAll(config.requiredInCluster());
            // The only listener is SCRAM over TLS: a client without these would speak PLAINTEXT.
            assertThat(set.keySet())
                    .as(id + ": Kafka TLS/SASL settings")
                    .containsAll(
                            KafkaConnection.SECURITY_SETTINGS.stream()
                                    .map(KafkaConnection::envName)
                                    .toList());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceSendsItsSpansToTheCollectorItsPolicyLetsItReach(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);

        for (Deployment d : rendered.all(Deployment.class)) {
            String id = "Deployment/" + d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = environment(rendered, exampleSecrets(), c, id);
            assertThat(env)
                    .as(id + ": tracing on, OTLP to the collector")
                    .containsEntry("QUARKUS_OTEL_SDK_DISABLED", "false")
                    .containsEntry("BUS_TRACING_EXPORTER", "otlp");
            URI collector = URI.create(env.get("BUS_TRACING_ENDPOINT"));
            assertThat(collector.getPath()).as(id).isEqualTo("/v1/traces");
            String namespace = collector.getHost().split("\\.")[1];
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(policies)
                    .as(id + ": egress to the collector, " + collector)
                    .anyMatch(
                            p ->
                                    p.getSpec().getPodSelector().getMatchLabels() != null
                                            && matches(
                                                    p.getSpec().getPodSelector().getMatchLabels(),
                                                    labels)
                                            && p.getSpec().getEgress().stream()
                                                    .anyMatch(
                                                            rule ->
                                                                    opensTo(
                                                                            rule,
                                                                            namespace,
                                                                            collector.getPort())));
        }
    }

    /** An egress rule open to every pod of a namespace on a port. */
    private static boolean opensTo(NetworkPolicyEgressRule rule, String namespace, int port) {
        boolean onPort =
                rule.getPorts().stream()
                        .anyMatch(p -> p.getPort() != null && p.getPort().getIntVal() == port);
        boolean toNamespace =
                rule.getTo().stream()
                        .map(NetworkPolicyPeer::getNamespaceSelector)
                        .filter(Objects::nonNull)
                        .anyMatch(
                                selector ->
                                        namespace.equals(
                                                selector.getMatchLabels()
                                                        .get("kubernetes.io/metadata.name")));
        return onPort && toNamespace;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void consumerGroupsAreUniqueAndEachIsTheOneItsAclsAndScalerName(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        Map<String, String> groups = new HashMap<>();

        for (Deployment d : rendered.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            ServiceConfig config = ServiceConfig.of(ROOT, module(c.getImage()));
            if (config.groupVariable().isEmpty()) {
                continue;
            }
            String variable = config.groupVariable().get();
            String group =
                    environment(rendered, exampleSecrets(), c, name)
                            .getOrDefault(variable, config.envDefaults().get(variable));
            assertThat(groups.put(group, name))
                    .as("group " + group + " is used by " + name + " and " + groups.get(group))
                    .isNull();

            KafkaUser user = kafkaUserOf(rendered, c, name);
            assertThat(acls(user))
                    .as(name + " may read its own group")
                    .anyMatch(
                            rule ->
                                    rule.getResource() instanceof AclRuleGroupResource g
                                            && g.getName().equals(group)
                                            && g.getPatternType() == AclResourcePatternType.LITERAL
                                            && rule.getOperations().contains(AclOperation.READ));
            assertThat(acls(user))
                    .as(name + " may describe itself on the subscriber catalog")
                    .anyMatch(
                            rule ->
                                    rule.getResource() instanceof AclRuleTopicResource t
                                            && t.getName().equals(BusTopics.SUBSCRIBERS)
                                            && t.getPatternType() == AclResourcePatternType.LITERAL
                                            && rule.getOperations().contains(AclOperation.WRITE));
            rendered.keda(Keda.ScaledObject.class, name)
                    .ifPresent(
                            scaler ->
                                    assertThat(scaler.spec().triggers())
                                            .allSatisfy(
                                                    t ->
                                                            assertThat(t.metadata())
                                                                    .containsEntry(
                                                                            "consumerGroup",
                                                                            group)));
        }
        assertThat(groups).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaUsersHoldLeastPrivilege(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        Set<String> topics = new HashSet<>();
        rendered.all(KafkaTopic.class).forEach(t -> topics.add(topicName(t)));

        for (Deployment d : rendered.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            ServiceConfig config = ServiceConfig.of(ROOT, module(c.getImage()));
            KafkaUser user = kafkaUserOf(rendered, c, name);
            if (config.publishes()) {
                String clientId =
                        config.resolve(
                                "bus.outbox.client-id",
                                environment(rendered, exampleSecrets(), c, name));
                assertThat(acls(user))
                        .as(name + " may use its outbox's transactional ids (" + clientId + "-...)")
                        .anyMatch(
                                rule ->
                                        rule.getResource()
                                                        instanceof AclRuleTransactionalIdResource t
                                                && t.getName().equals(clientId + "-")
                                                && t.getPatternType()
                                                        == AclResourcePatternType.PREFIX
                                                && rule.getOperations()
                                                        .containsAll(
                                                                List.of(
                                                                        AclOperation.WRITE,
                                                                        AclOperation.DESCRIBE)));
            }
            for (AclRule rule : acls(kafkaUserOf(rendered, c, name))) {
                assertThat(rule.getResource()).as(name).isNotNull();
                if (rule.getResource() instanceof AclRuleTopicResource topic
                        && rule.getOperations().contains(AclOperation.WRITE)) {
                    assertThat(topic.getPatternType())
                            .as(name + " writes")
                            .isEqualTo(AclResourcePatternType.LITERAL);
                    if (topic.getName().equals(BUS_TOPIC)) {
                        assertThat(config.publishes())
                                .as(name + " writes the bus but has no outbox")
                                .isTrue();
                    } else if (topic.getName().equals(AuditLog.TOPIC)) {
                        assertThat(config.publishes())
                                .as(name + ": the audit log is for operators' tools")
                                .isFalse();
                    } else if (topic.getName().equals(BusTopics.SUBSCRIBERS)) {
                        assertThat(config.groupVariable())
                                .as(
                                        name
                                                + " writes the subscriber catalog but subscribes to nothing")
                                .isPresent();
                    } else {
                        assertThat(topic.getName())
                                .as(name + " writes only its own DLQ/retry topics")
                                .matches("customer-events\\.[a-z0-9-]+\\.(dlq|retry)")
                                .isIn(topics);
                    }
                }
                if (rule.getOperations().contains(AclOperation.DELETE)) {
                    // Purging dead letters: one literal DLQ per rule, for operators' tools only.
                    assertThat(rule.getResource())
                            .as(name + " deletes only dead letters")
                            .isInstanceOfSatisfying(
                                    AclRuleTopicResource.class,
                                    topic -> {
                                        assertThat(topic.getPatternType())
                                                .isEqualTo(AclResourcePatternType.LITERAL);
                                        assertThat(topic.getName())
                                                .matches("customer-events\\.[a-z0-9-]+\\.dlq")
                                                .isIn(topics);
                                    });
                    assertThat(config.publishes() || config.groupVariable().isPresent())
                            .as(name + ": purging dead letters is for operators' tools")
                            .isFalse();
                }
                assertThat(rule.getOperations())
                        .as(name)
                        .doesNotContain(
                                AclOperation.ALL,
                                AclOperation.ALTER,
                                AclOperation.CREATE,
                                AclOperation.ALTERCONFIGS);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOperatorsToolsMayPurgeEveryDeadLetterTopic(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        List<String> dlqs =
                rendered.all(KafkaTopic.class).stream()
                        .map(ManifestsTest::topicName)
                        .filter(name -> name.endsWith(".dlq"))
                        .toList();
        assertThat(dlqs).isNotEmpty();
        for (String tool : List.of("bus-cli", "bus-console")) {
            List<AclRule> rules =
                    acls(rendered.named(KafkaUser.class, tool).orElseThrow(AssertionError::new));
            for (String dlq : dlqs) {
                assertThat(rules)
                        .as(tool + " may purge " + dlq)
                        .anyMatch(
                                rule ->
                                        rule.getResource() instanceof AclRuleTopicResource topic
                                                && topic.getName().equals(dlq)
                                                && rule.getOperations()
                                                        .contains(AclOperation.DELETE));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void topicsFitTheClusterAndScalersNeverOutnumberPartitions(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        int brokers =
                rendered.all(KafkaNodePool.class).stream()
                        .filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                        .mapToInt(p -> p.getSpec().getReplicas())
                        .sum();

        assertThat(rendered.all(KafkaTopic.class))
                .isNotEmpty()
                .allSatisfy(
                        t -> {
                            int replicas = replicas(rendered, t);
                            assertThat(replicas).as(topicName(t)).isBetween(1, brokers);
                            assertThat(
                                            Integer.parseInt(
                                                    clusterOrTopic(
                                                            rendered, t, "min.insync.replicas")))
                                    .as(topicName(t) + " min ISR")
                                    .isLessThanOrEqualTo(replicas);
                        });
        for (Keda.ScaledObject scaler : rendered.all(Keda.ScaledObject.class)) {
            assertThat(rendered.named(Deployment.class, scaler.spec().scaleTargetRef().name()))
                    .as(scaler.metadata().getName() + " scales a Deployment")
                    .isPresent();
            for (Keda.Trigger trigger : scaler.spec().triggers()) {
                assertThat(trigger.type()).isEqualTo("kafka");
                assertThat(trigger.metadata().keySet()).isSubsetOf(Keda.KAFKA_TRIGGER_METADATA);
                assertThat(
                                rendered.keda(
                                        Keda.TriggerAuthentication.class,
                                        trigger.authenticationRef().name()))
                        .isPresent();
                KafkaTopic topic =
                        rendered.all(KafkaTopic.class).stream()
                                .filter(t -> topicName(t).equals(trigger.metadata().get("topic")))
                                .findFirst()
                                .orElseThrow();
                assertThat(scaler.spec().maxReplicaCount())
                        .as(scaler.metadata().getName() + " max replicas")
                        .isLessThanOrEqualTo(topic.getSpec().getPartitions());
            }
        }
        assertThat(rendered.all(HorizontalPodAutoscaler.class))
                .allSatisfy(
                        hpa ->
                                assertThat(
                                                rendered.named(
                                                        Deployment.class,
                                                        hpa.getSpec()
                                                                .getScaleTargetRef()
                                                                .getName()))
                                        .isPresent());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void imagesAreTheOnesJibBuildsAndNeverLatest(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);

        for (ObjectNode resource : rendered.resources()) {
            for (ObjectNode container : Kustomize.containers(resource)) {
                assertImage(container.path("image").asText(), Kustomize.id(resource));
            }
        }
        for (Deployment d : rendered.all(Deployment.class)) {
            String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            String expected = ServiceConfig.of(ROOT, module(image)).image(VERSION);
            // The overlay names the registry: an unqualified name would be pulled from Docker Hub.
            assertThat(image)
                    .as(d.getMetadata().getName())
                    .endsWith("/" + expected)
                    .matches("[a-z0-9.-]+\\.[a-z]+(:[0-9]+)?/.*");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreReferencedNeverCommitted(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        // Every Secret a resource may use, with its keys: written by operators from the example,
        // or by Strimzi (one per KafkaUser, and the cluster CA).
        Map<String, Set<String>> known = new HashMap<>();
        exampleSecrets().forEach((name, data) -> known.put(name, data.keySet()));
        rendered.all(KafkaUser.class)
                .forEach(
                        u ->
                                known.put(
                                        u.getMetadata().getName(),
                                        Set.of("password", "sasl.jaas.config")));
        rendered.all(Kafka.class)
                .forEach(
                        k ->
                                known.put(
                                        k.getMetadata().getName() + "-cluster-ca-cert",
                                        Set.of("ca.crt", "ca.p12", "ca.password")));

        assertThat(rendered.all(Secret.class)).as("Secrets in the manifests").isEmpty();
        List<String> references = new ArrayList<>(); // "secret" or "secret/key"
        for (PodTemplateSpec template : rendered.workloads().values()) {
            PodSpec pod = template.getSpec();
            for (Container c : pod.getContainers()) {
                for (EnvFromSource from :
                        Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getSecretRef() != null) {
                        references.add(from.getSecretRef().getName());
                    }
                }
                for (EnvVar var : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    if (var.getValueFrom() != null
                            && var.getValueFrom().getSecretKeyRef() != null) {
                        var ref = var.getValueFrom().getSecretKeyRef();
                        references.add(ref.getName() + "/" + ref.getKey());
                    }
                }
            }
            for (Volume volume : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
                if (volume.getSecret() != null) {
                    references.add(volume.getSecret().getSecretName());
                    Objects.requireNonNullElse(
                                    volume.getSecret().getItems(),
                                    List.<io.fabric8.kubernetes.api.model.KeyToPath>of())
                            .forEach(
                                    item ->
                                            references.add(
                                                    volume.getSecret().getSecretName()
                                                            + "/"
                                                            + item.getKey()));
                }
            }
        }
        rendered.all(Ingress.class)
                .forEach(
                        i ->
                                i.getSpec()
                                        .getTls()
                                        .forEach(tls -> references.add(tls.getSecretName())));
        rendered.all(Keda.TriggerAuthentication.class)
                .forEach(
                        ta ->
                                ta.spec()
                                        .secretTargetRef()
                                        .forEach(
                                                ref ->
                                                        references.add(
                                                                ref.name() + "/" + ref.key())));

        assertThat(references)
                .isNotEmpty()
                .allSatisfy(
                        reference -> {
                            String[] parts = reference.split("/", 2);
                            assertThat(known)
                                    .as("Secrets made by operators or by Strimzi")
                                    .containsKey(parts[0]);
                            if (parts.length == 2) {
                                assertThat(known.get(parts[0])).as(reference).contains(parts[1]);
                            }
                        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIngressRoutesTheBookLayoutOverTls(String overlay) {
        Rendered rendered = Rendered.overlay(K8S, overlay);
        Map<String, String> routes = new HashMap<>();
        for (Ingress ingress : rendered.all(Ingress.class)) {
            assertThat(ingress.getSpec().getTls()).as(ingress.getMetadata().getName()).isNotEmpty();
            ingress.getSpec()
                    .getRules()
                    .forEach(
                            rule -> {
                                assertThat(ingress.getSpec().getTls())
                                        .anyMatch(tls -> tls.getHosts().contains(rule.getHost()));
                                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                                    assertThat(
                                                    routes.put(
                                                            path.getPath(),
                                                            path.getBackend()
                                                                    .getService()
                                                                    .getName()))
                                            .as("path " + path.getPath() + " routed twice")
                                            .isNull();
                                }
                            });
        }

        assertThat(routes)
                .containsEntry("/api/purchases/v1", "purchase-service")
                .containsEntry("/api/events/v1", "event-gateway")
                .containsEntry("/api/console/v1", "bus-console")
                .containsEntry("/console", "bus-console")
                .containsEntry("/api/crm/v1", "crm-subscriber")
                .containsEntry("/api/analytics/v1", "analytics-subscriber")
                .containsEntry("/analytics", "analytics-subscriber");
        assertThat(routes.keySet()).allMatch(path -> path.matches("/api/[a-z-]+/v\\d+|/[a-z-]+"));
        assertThat(routes.values())
                .allSatisfy(
                        service ->
                                assertThat(rendered.named(Service.class, service))
                                        .as("Service " + service)
                                        .isPresent());
    }

    @Test
    void prodKeepsTheBusDurableAndForever() {
        Rendered prod = Rendered.overlay(K8S, "prod");
        KafkaTopic bus = prod.named(KafkaTopic.class, BUS_TOPIC).orElseThrow();

        assertThat(
                        prod.all(KafkaNodePool.class).stream()
                                .mapToInt(p -> p.getSpec().getReplicas())
                                .sum())
                .isEqualTo(3);
        assertThat(bus.getSpec().getPartitions()).isEqualTo(12);
        assertThat(bus.getSpec().getReplicas()).isEqualTo(3);
        assertThat(bus.getSpec().getConfig())
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("retention.ms", "-1");
        assertThat(prod.named(HorizontalPodAutoscaler.class, "purchase-service")).isPresent();
    }

    @Test
    void devRunsOneBroker() {
        Rendered dev = Rendered.overlay(K8S, "dev");

        assertThat(
                        dev.all(KafkaNodePool.class).stream()
                                .mapToInt(p -> p.getSpec().getReplicas())
                                .sum())
                .isEqualTo(1);
        assertThat(dev.all(KafkaTopic.class))
                .allSatisfy(t -> assertThat(replicas(dev, t)).isEqualTo(1));
    }

    @Test
    void theCrmV2ComponentAddsASecondCrmWithItsOwnGroupAndDatabase() {
        Rendered withV2 = Rendered.overlay(K8S, "dev-crm-v2");
        Deployment v2 = withV2.named(Deployment.class, "crm-v2").orElseThrow();
        Container c = v2.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = environment(withV2, exampleSecrets(), c, "crm-v2");

        assertThat(module(c.getImage())).isEqualTo("crm-subscriber");
        assertThat(env)
                .containsEntry("CRM_GROUP", "crm-v2")
                .containsEntry("CRM_DB", "crm_v2")
                .containsEntry("CRM_AUTO_OFFSET_RESET", "earliest")
                .containsEntry("CRM_SUBSCRIBER", "crm-v2");
        assertThat(acls(kafkaUserOf(withV2, c, "crm-v2")))
                .as("crm-v2 dead-letters into its own DLQ, which the cluster has")
                .anyMatch(
                        rule ->
                                rule.getResource() instanceof AclRuleTopicResource topic
                                        && topic.getName().equals("customer-events.crm-v2.dlq")
                                        && rule.getOperations().contains(AclOperation.WRITE))
                .noneMatch(
                        rule ->
                                rule.getResource() instanceof AclRuleTopicResource topic
                                        && topic.getName().equals("customer-events.crm.dlq"));
        assertThat(withV2.named(KafkaTopic.class, "customer-events.crm-v2.dlq")).isPresent();
        assertThat(withV2.named(Deployment.class, "crm-subscriber")).isPresent();
        assertThat(Rendered.overlay(K8S, "dev").named(Deployment.class, "crm-v2")).isEmpty();
    }

    @Test
    void theReplayJobRewindsTheCrmWithTheBusCliImage() {
        List<ObjectNode> jobs = Kustomize.readAll(K8S.resolve("jobs/replay-crm.yaml"));
        Job job = (Job) Models.parse(jobs.get(0));
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(c.getImage()).isEqualTo(ServiceConfig.of(ROOT, "bus-cli").image(VERSION));
        assertThat(c.getArgs())
                .containsExactly("replay", "--group", "crm-subscriber", "--to-earliest");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                .isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Rendered dev = Rendered.overlay(K8S, "dev");
        assertThat(dev.named(ConfigMap.class, "bus-cli-config")).isPresent();
        assertThat(dev.named(KafkaUser.class, "bus-cli")).isPresent();
    }

    @Test
    void everyServiceModuleWithManifestsIsInTheBase() throws IOException {
        List<String> resources = new ArrayList<>();
        Kustomize.readAll(K8S.resolve("base/kustomization.yaml"))
                .get(0)
                .path("resources")
                .forEach(r -> resources.add(r.asText()));
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<String> withManifests =
                    modules.filter(m -> Files.isRegularFile(m.resolve("k8s/kustomization.yaml")))
                            .map(m -> "../../" + m.getFileName() + "/k8s")
                            .toList();
            assertThat(withManifests).isNotEmpty();
            assertThat(resources).containsAll(withManifests);
        }
    }

    @Test
    void theExampleSecretsHoldOnlyPlaceholders() {
        assertThat(exampleSecrets())
                .isNotEmpty()
                .allSatisfy(
                        (name, data) ->
                                assertThat(data.values())
                                        .as(name)
                                        .allMatch(v -> v.matches("<[^<>]+>")));
    }

    // --- helpers ---

    /** Secret name → its keys and placeholder values, from k8s/secrets.example.yaml. */
    private static Map<String, Map<String, String>> exampleSecrets;

    /** Parsed once: every Deployment of every overlay asks. */
    static synchronized Map<String, Map<String, String>> exampleSecrets() {
        if (exampleSecrets != null) {
            return exampleSecrets;
        }
        Map<String, Map<String, String>> secrets = new HashMap<>();
        for (ObjectNode node : Kustomize.readAll(K8S.resolve("secrets.example.yaml"))) {
            Secret secret = (Secret) Models.parse(node);
            Map<String, String> data = new HashMap<>();
            if (secret.getStringData() != null) {
                data.putAll(secret.getStringData());
            }
            assertThat(secret.getData()).as("example secrets use stringData").isNullOrEmpty();
            secrets.put(secret.getMetadata().getName(), data);
        }
        exampleSecrets = Map.copyOf(secrets);
        return exampleSecrets;
    }

    /** What a container's environment holds: literal values, or "<secret>" for secret ones. */
    static Map<String, String> environment(
            Rendered rendered, Map<String, Map<String, String>> secrets, Container c, String id) {
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource from :
                Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(rendered.configMap(from.getConfigMapRef().getName()).getData());
            }
            if (from.getSecretRef() != null) {
                Map<String, String> secret = secrets.get(from.getSecretRef().getName());
                assertThat(secret)
                        .as(
                                id
                                        + ": envFrom secret "
                                        + from.getSecretRef().getName()
                                        + " must be described in secrets.example.yaml")
                        .isNotNull();
                secret.keySet().forEach(k -> env.put(k, "<secret>"));
            }
        }
        for (EnvVar var : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                String value = rendered.configMap(ref.getName()).getData().get(ref.getKey());
                assertThat(value).as(id + ": " + ref.getName() + "/" + ref.getKey()).isNotNull();
                env.put(var.getName(), value);
            } else {
                env.put(var.getName(), var.getValue() != null ? var.getValue() : "<secret>");
            }
        }
        return env;
    }

    static KafkaUser kafkaUserOf(Rendered rendered, Container c, String id) {
        String user =
                c.getEnv().stream()
                        .filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                        .map(e -> e.getValueFrom().getSecretKeyRef().getName())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(id + " has no Kafka credentials"));
        return rendered.named(KafkaUser.class, user)
                .orElseThrow(() -> new AssertionError(id + ": no KafkaUser " + user));
    }

    static List<AclRule> acls(KafkaUser user) {
        return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
    }

    /** A topic's replication factor: its own, or the cluster's default when it names none. */
    static int replicas(Rendered rendered, KafkaTopic topic) {
        return topic.getSpec().getReplicas() != null
                ? topic.getSpec().getReplicas()
                : Integer.parseInt(clusterOrTopic(rendered, topic, "default.replication.factor"));
    }

    /** A topic-level setting, else the broker-wide one from the Kafka resource. */
    static String clusterOrTopic(Rendered rendered, KafkaTopic topic, String setting) {
        Map<String, Object> own = topic.getSpec().getConfig();
        Object value = own == null ? null : own.get(setting);
        if (value == null) {
            value = rendered.all(Kafka.class).get(0).getSpec().getKafka().getConfig().get(setting);
        }
        assertThat(value).as(topicName(topic) + " " + setting).isNotNull();
        return value.toString();
    }

    static String topicName(KafkaTopic topic) {
        return topic.getSpec().getTopicName() != null
                ? topic.getSpec().getTopicName()
                : topic.getMetadata().getName();
    }

    /** The module an image is built from: the last path segment of its name. */
    static String module(String image) {
        String name = Kustomize.imageName(image);
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static String healthPath(Probe probe) {
        return probe == null || probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null
                && !selector.isEmpty()
                && labels.entrySet().containsAll(selector.entrySet());
    }

    static void assertImage(String image, String where) {
        String tag = Kustomize.imageTag(image);
        assertThat(tag).as(where + " image " + image + " has a tag").isNotNull();
        assertThat(tag).as(where).isNotEqualTo("latest");
    }
}
