package io.customerbus.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset of kustomize the
 * manifests use: resources (files and directories), components, namespace, strategic-merge patches
 * named by their target's kind and name, and image name/tag overrides. Anything else in a
 * kustomization fails the build rather than being silently ignored, and every reference must
 * resolve. The build cannot depend on kubectl being installed (FACTS.md), hence this small copy.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Set<String> SUPPORTED =
            Set.of(
                    "apiVersion",
                    "kind",
                    "resources",
                    "components",
                    "namespace",
                    "patches",
                    "images");

    /** A Component may only add resources and patch; anything else would be silently ignored. */
    private static final Set<String> COMPONENT_SUPPORTED =
            Set.of("apiVersion", "kind", "resources", "patches");

    /** Kinds that live outside any namespace, so {@code namespace:} leaves them alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomize() {}

    static List<ObjectNode> build(Path dir) {
        return build(dir, "Kustomization");
    }

    private static List<ObjectNode> build(Path dir, String expectedKind) {
        ObjectNode kustomization = kustomization(dir, expectedKind);
        List<ObjectNode> resources = new ArrayList<>();
        for (String entry : strings(kustomization, "resources")) {
            Path path = resolve(dir, entry);
            resources.addAll(Files.isDirectory(path) ? build(path) : readAll(path));
        }
        for (String entry : strings(kustomization, "components")) {
            Path component = resolve(dir, entry);
            ObjectNode spec = kustomization(component, "Component");
            for (String resource : strings(spec, "resources")) {
                resources.addAll(readAll(resolve(component, resource)));
            }
            applyPatches(component, spec, resources);
        }
        applyPatches(dir, kustomization, resources);
        applyImages(kustomization, resources);
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            for (ObjectNode resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                    metadata(resource).put("namespace", namespace);
                }
            }
        }
        requireUniqueIds(dir, resources);
        return resources;
    }

    /** All documents of a multi-document YAML file. */
    static List<ObjectNode> readAll(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<ObjectNode> documents = new ArrayList<>();
            Iterator<ObjectNode> it = YAML.readValues(parser, ObjectNode.class);
            while (it.hasNext()) {
                ObjectNode document = it.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String id(JsonNode resource) {
        return resource.path("kind").asText()
                + "/"
                + resource.path("metadata").path("name").asText();
    }

    private static ObjectNode kustomization(Path dir, String expectedKind) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(dir + " has no kustomization.yaml");
        }
        ObjectNode kustomization = readAll(file).get(0);
        Set<String> unsupported = new HashSet<>();
        kustomization.fieldNames().forEachRemaining(unsupported::add);
        unsupported.removeAll(expectedKind.equals("Component") ? COMPONENT_SUPPORTED : SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new AssertionError(file + ": unsupported kustomization fields " + unsupported);
        }
        String kind = kustomization.path("kind").asText("Kustomization");
        if (!kind.equals(expectedKind)) {
            throw new AssertionError(file + " is a " + kind + ", expected a " + expectedKind);
        }
        return kustomization;
    }

    private static Path resolve(Path dir, String entry) {
        Path path = dir.resolve(entry).normalize();
        if (!Files.exists(path)) {
            throw new AssertionError(
                    dir.resolve("kustomization.yaml")
                            + " refers to "
                            + entry
                            + ", which does not exist");
        }
        return path;
    }

    private static List<String> strings(ObjectNode node, String field) {
        List<String> values = new ArrayList<>();
        node.path(field).forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void applyPatches(
            Path dir, ObjectNode kustomization, List<ObjectNode> resources) {
        for (JsonNode patchEntry : kustomization.path("patches")) {
            if (patchEntry.size() != 1 || !patchEntry.hasNonNull("path")) {
                throw new AssertionError(
                        dir + ": a patch must name only its file (path:), got " + patchEntry);
            }
            for (ObjectNode patch : readAll(resolve(dir, patchEntry.get("path").asText()))) {
                List<ObjectNode> targets =
                        resources.stream()
                                .filter(r -> id(r).equals(id(patch)))
                                .filter(r -> r.path("apiVersion").equals(patch.path("apiVersion")))
                                .toList();
                if (targets.size() != 1) {
                    throw new AssertionError(
                            dir
                                    + ": patch for "
                                    + id(patch)
                                    + " matches "
                                    + targets.size()
                                    + " resources");
                }
                merge(targets.get(0), patch, builtIn(patch));
            }
        }
    }

    /**
     * Strategic merge as kustomize does it for these manifests: in built-in kinds, lists of named
     * items (containers, env, volumes) merge by name; in custom resources (Strimzi, KEDA), which
     * carry no merge keys, every list is replaced whole.
     */
    static void merge(ObjectNode target, ObjectNode patch, boolean namedListsMerge) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = target.get(field.getKey());
            JsonNode change = field.getValue();
            if (change.isNull()) {
                target.remove(field.getKey());
            } else if (current instanceof ObjectNode object && change instanceof ObjectNode) {
                merge(object, (ObjectNode) change, namedListsMerge);
            } else if (namedListsMerge
                    && current instanceof ArrayNode list
                    && isNamedList(change)) {
                mergeByName(list, (ArrayNode) change);
            } else {
                target.set(field.getKey(), change.deepCopy());
            }
        }
    }

    /** Core and k8s.io API groups: the kinds kustomize knows the merge keys of. */
    private static boolean builtIn(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        String group =
                apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    private static boolean isNamedList(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isObject() || !item.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }

    private static void mergeByName(ArrayNode target, ArrayNode patch) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode existing : target) {
                if (existing.path("name").equals(item.get("name"))) {
                    match = (ObjectNode) existing;
                }
            }
            if (match == null) {
                target.add(item.deepCopy());
            } else {
                merge(match, (ObjectNode) item, true);
            }
        }
    }

    private static void applyImages(ObjectNode kustomization, List<ObjectNode> resources) {
        for (JsonNode image : kustomization.path("images")) {
            String name = image.path("name").asText();
            for (ObjectNode resource : resources) {
                for (ObjectNode container : containers(resource)) {
                    String[] current = container.path("image").asText().split(":", 2);
                    if (current[0].equals(name)) {
                        String newName = image.path("newName").asText(current[0]);
                        String tag =
                                image.hasNonNull("newTag")
                                        ? image.get("newTag").asText()
                                        : current.length > 1 ? current[1] : null;
                        container.put("image", tag == null ? newName : newName + ":" + tag);
                    }
                }
            }
        }
    }

    /** An image reference without its tag ("registry:5000/a/b:1.0" → "registry:5000/a/b"). */
    static String imageName(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** Its tag, or null when it has none. */
    static String imageTag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    }

    /** The containers (and init containers) of a workload's pod template, whatever its kind. */
    static List<ObjectNode> containers(JsonNode resource) {
        JsonNode template =
                resource.path("kind").asText().equals("CronJob")
                        ? resource.path("spec").path("jobTemplate").path("spec").path("template")
                        : resource.path("spec").path("template");
        List<ObjectNode> containers = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            template.path("spec").path(field).forEach(c -> containers.add((ObjectNode) c));
        }
        return containers;
    }

    private static ObjectNode metadata(ObjectNode resource) {
        return resource.has("metadata")
                ? (ObjectNode) resource.get("metadata")
                : resource.putObject("metadata");
    }

    private static void requireUniqueIds(Path dir, List<ObjectNode> resources) {
        Set<String> seen = new HashSet<>();
        for (ObjectNode resource : resources) {
            if (!seen.add(resource.path("apiVersion").asText() + " " + id(resource))) {
                throw new AssertionError(dir + ": " + id(resource) + " is declared twice");
            }
        }
    }
}
