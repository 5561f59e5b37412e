package io.customerbus.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service module's {@code application.properties} says about its deployment — over the
 * defaults every service takes from bus-runtime — : the env vars it reads (with their defaults),
 * its image, its consumer group. The manifests are checked against this, so a renamed variable or a
 * new required one cannot drift away from k8s/ unnoticed.
 */
record ServiceConfig(
        String module, Map<String, String> properties, Map<String, String> envDefaults) {

    /** ${NAME} or ${NAME:default} */
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    /** The toolkit's defaults, which every service's own configuration overrides. */
    private static final String RUNTIME_DEFAULTS =
            "bus-runtime/src/main/resources/META-INF/microprofile-config.properties";

    static ServiceConfig of(Path root, String module) {
        Path file = root.resolve(module).resolve("src/main/resources/application.properties");
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(root.resolve(RUNTIME_DEFAULTS)));
            lines.addAll(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("no configuration for module " + module, e);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lines) {
            String trimmed = inCluster(line.strip());
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String value = trimmed.substring(eq + 1);
            properties.put(trimmed.substring(0, eq), value);
            Matcher m = ENV.matcher(value);
            while (m.find()) {
                env.put(m.group(1), m.group(2));
            }
        }
        return new ServiceConfig(module, properties, env);
    }

    /**
     * The line as the prod profile reads it, the one a cluster runs: {@code %prod,dev,local.key=v}
     * becomes {@code key=v}; a line of other profiles only (test, dev, local) becomes empty.
     */
    private static String inCluster(String line) {
        if (!line.startsWith("%")) {
            return line;
        }
        int dot = line.indexOf('.');
        List<String> profiles = List.of(line.substring(1, dot).split(","));
        return profiles.contains("prod") ? line.substring(dot + 1) : "";
    }

    /** The env var that names the consumer group, from {@code <prefix>.group-id=${VAR:default}}. */
    Optional<String> groupVariable() {
        return properties.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".group-id"))
                .map(e -> ENV.matcher(e.getValue()))
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .findFirst();
    }

    /**
     * Vars a cluster must set: no default, or a default that only works on a developer's machine.
     */
    List<String> requiredInCluster() {
        return envDefaults.entrySet().stream()
                .filter(
                        e ->
                                e.getValue() == null
                                        || e.getValue().contains("127.0.0.1")
                                        || e.getValue().contains("localhost"))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Publishes to the bus through the shared outbox. */
    boolean publishes() {
        return "true".equals(properties.get("bus.outbox.enabled"));
    }

    /** A property's value with its ${VAR:default} expanded from the given environment. */
    String resolve(String property, Map<String, String> environment) {
        String value = properties.get(property);
        if (value == null) {
            throw new AssertionError(module + " has no " + property);
        }
        Matcher m = ENV.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String replacement = environment.getOrDefault(m.group(1), m.group(2));
            m.appendReplacement(
                    resolved, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** The image Jib builds: {@code <group>/<name>:<project version>}. */
    String image(String version) {
        String group = properties.get("quarkus.container-image.group");
        String name =
                properties.getOrDefault(
                        "quarkus.container-image.name",
                        properties.getOrDefault("quarkus.application.name", module));
        return group + "/" + name + ":" + version;
    }
}
