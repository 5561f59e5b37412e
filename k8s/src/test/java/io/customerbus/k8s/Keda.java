package io.customerbus.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's resources as far as the manifests use them, after KEDA's CRD reference (keda.sh/v1alpha1).
 * KEDA publishes no Java model; these records are parsed with unknown fields failing, so a field
 * KEDA does not have cannot slip in. Nullable fields are the optional ones.
 */
final class Keda {

    static final String API_VERSION = "keda.sh/v1alpha1";

    /** The Kafka scaler's trigger metadata keys (KEDA 2.x docs, "Apache Kafka" scaler). */
    static final Set<String> KAFKA_TRIGGER_METADATA =
            Set.of(
                    "bootstrapServers",
                    "consumerGroup",
                    "topic",
                    "lagThreshold",
                    "activationLagThreshold",
                    "offsetResetPolicy",
                    "allowIdleConsumers",
                    "scaleToZeroOnInvalidOffset",
                    "excludePersistentLag",
                    "limitToPartitionsWithLag",
                    "partitionLimitation",
                    "sasl",
                    "tls",
                    "version");

    private Keda() {}

    record ScaledObject(
            String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {}

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer initialCooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Fallback fallback,
            List<Trigger> triggers) {}

    record ScaleTargetRef(
            String apiVersion, String kind, String name, String envSourceContainerName) {}

    record Fallback(Integer failureThreshold, Integer replicas) {}

    record Trigger(
            String type,
            String name,
            String metricType,
            Boolean useCachedMetrics,
            Map<String, String> metadata,
            AuthenticationRef authenticationRef) {}

    record AuthenticationRef(String name, String kind) {}

    record TriggerAuthentication(
            String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {}

    record TriggerAuthenticationSpec(
            List<TargetRef> secretTargetRef, List<TargetRef> configMapTargetRef) {}

    record TargetRef(String parameter, String name, String key) {}
}
