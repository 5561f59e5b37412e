package io.customerbus.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a rendered resource into its typed model: fabric8 for Kubernetes, Strimzi's own API for
 * Kafka resources, {@link Keda} for KEDA. The fabric8 and Strimzi models keep fields they do not
 * know in {@code additionalProperties} instead of failing, so after parsing the whole object tree
 * is walked and any such leftover fails the check: a misspelt or misplaced field is an error here,
 * not a setting the cluster silently ignores.
 */
final class Models {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Map<String, Class<?>> TYPES = new HashMap<>();

    static {
        for (Class<? extends HasMetadata> type :
                List.of(
                        Namespace.class,
                        ConfigMap.class,
                        Secret.class,
                        Service.class,
                        ServiceAccount.class,
                        Deployment.class,
                        StatefulSet.class,
                        Job.class,
                        HorizontalPodAutoscaler.class,
                        NetworkPolicy.class,
                        Ingress.class,
                        PodDisruptionBudget.class)) {
            TYPES.put(HasMetadata.getApiVersion(type) + " " + HasMetadata.getKind(type), type);
        }
        for (Class<?> type :
                List.of(Kafka.class, KafkaNodePool.class, KafkaTopic.class, KafkaUser.class)) {
            for (String version : strimziVersions(type)) {
                TYPES.put(
                        staticField(type, "RESOURCE_GROUP")
                                + "/"
                                + version
                                + " "
                                + staticField(type, "RESOURCE_KIND"),
                        type);
            }
        }
        TYPES.put(Keda.API_VERSION + " ScaledObject", Keda.ScaledObject.class);
        TYPES.put(Keda.API_VERSION + " TriggerAuthentication", Keda.TriggerAuthentication.class);
    }

    private Models() {}

    /** The typed resource; fails on an unknown apiVersion/kind or on any field the model lacks. */
    static Object parse(JsonNode resource) {
        String key = resource.path("apiVersion").asText() + " " + resource.path("kind").asText();
        Class<?> type = TYPES.get(key);
        if (type == null) {
            throw new AssertionError(Kustomize.id(resource) + ": no model for " + key);
        }
        Object model;
        try {
            model = MAPPER.treeToValue(resource, type);
        } catch (Exception e) {
            throw new AssertionError(Kustomize.id(resource) + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(model, "", unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(Kustomize.id(resource) + ": unknown fields " + unknown);
        }
        return model;
    }

    private static void collectUnknown(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown));
            return;
        }
        if (node instanceof Record) {
            for (var component : node.getClass().getRecordComponents()) {
                try {
                    Object value = component.getAccessor().invoke(node);
                    collectUnknown(value, path + "." + component.getName(), unknown);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        String pkg = node.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                collectUnknown(value, path + "." + property(getter), unknown);
            }
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strimziVersions(Class<?> type) {
        return (List<String>) staticValue(type, "VERSIONS");
    }

    private static String staticField(Class<?> type, String name) {
        return (String) staticValue(type, name);
    }

    private static Object staticValue(Class<?> type, String name) {
        try {
            return type.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no " + name, e);
        }
    }
}
