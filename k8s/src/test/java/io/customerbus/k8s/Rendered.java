package io.customerbus.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One overlay rendered and parsed into typed models; rendered once per test run. */
record Rendered(String overlay, List<ObjectNode> resources, List<Object> models) {

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    static Rendered overlay(Path k8s, String name) {
        return CACHE.computeIfAbsent(
                name,
                n -> {
                    List<ObjectNode> resources =
                            Kustomize.build(k8s.resolve("overlays").resolve(n));
                    List<Object> models = resources.stream().map(Models::parse).toList();
                    return new Rendered(n, resources, models);
                });
    }

    <T> List<T> all(Class<T> type) {
        return models.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    <T> Optional<T> keda(Class<T> type, String name) {
        return all(type).stream().filter(r -> metadataName(r).equals(name)).findFirst();
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name)
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }

    /** Deployments and StatefulSets, each with its pod template. */
    Map<String, PodTemplateSpec> workloads() {
        Map<String, PodTemplateSpec> workloads = new java.util.LinkedHashMap<>();
        all(Deployment.class)
                .forEach(
                        d ->
                                workloads.put(
                                        "Deployment/" + d.getMetadata().getName(),
                                        d.getSpec().getTemplate()));
        all(StatefulSet.class)
                .forEach(
                        s ->
                                workloads.put(
                                        "StatefulSet/" + s.getMetadata().getName(),
                                        s.getSpec().getTemplate()));
        return workloads;
    }

    private static String metadataName(Object keda) {
        if (keda instanceof Keda.ScaledObject so) {
            return so.metadata().getName();
        }
        if (keda instanceof Keda.TriggerAuthentication ta) {
            return ta.metadata().getName();
        }
        throw new IllegalArgumentException(keda.getClass().getName());
    }
}
