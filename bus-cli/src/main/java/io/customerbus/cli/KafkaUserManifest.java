package io.customerbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A Strimzi {@code KafkaUser} as k8s/ declares it: the user's name and its simple-authorization ACL
 * rules, turned into the bindings Kafka's own authorizer enforces — so the local broker refuses
 * what the cluster would.
 */
record KafkaUserManifest(String name, List<AclBinding> acls) {

    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * The manifest files of the sources: a file as it is; a directory (a checkout) gives every YAML
     * file in a {@code k8s} folder below it, except build output ({@code target}), the generator's
     * templates ({@code local}) and hidden folders; sorted, for a stable order.
     */
    static List<Path> files(List<Path> sources) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            if (!Files.isDirectory(source)) {
                files.add(source);
                continue;
            }
            try (Stream<Path> tree =
                    Files.walk(source)
                            .filter(f -> f.toString().endsWith(".yaml"))
                            .filter(f -> inK8sFolder(source.relativize(f)))) {
                tree.sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static boolean inK8sFolder(Path relative) {
        boolean k8s = false;
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String folder = relative.getName(i).toString();
            if (folder.equals("target")
                    || folder.startsWith(".")
                    || (i == 0 && folder.equals("local"))) {
                return false;
            }
            k8s |= folder.equals("k8s");
        }
        return k8s;
    }

    /** The KafkaUser documents of a file (other kinds are skipped). */
    static List<KafkaUserManifest> read(Path file) throws IOException {
        List<KafkaUserManifest> users = new ArrayList<>();
        try (MappingIterator<JsonNode> documents =
                YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && "KafkaUser".equals(document.path("kind").asText())) {
                    users.add(of(document, file));
                }
            }
        }
        return users;
    }

    private static KafkaUserManifest of(JsonNode user, Path file) {
        String name = user.path("metadata").path("name").asText();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(file + ": a KafkaUser without a name");
        }
        String principal = "User:" + name;
        List<AclBinding> acls = new ArrayList<>();
        for (JsonNode rule : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = rule.path("resource");
            ResourcePattern pattern =
                    new ResourcePattern(
                            resourceType(resource.path("type").asText(), file),
                            resource.path("type").asText().equals("cluster")
                                    ? "kafka-cluster"
                                    : resource.path("name").asText(),
                            resource.path("patternType").asText("literal").equals("prefix")
                                    ? PatternType.PREFIXED
                                    : PatternType.LITERAL);
            AclPermissionType permission =
                    rule.path("type").asText("allow").equals("deny")
                            ? AclPermissionType.DENY
                            : AclPermissionType.ALLOW;
            for (JsonNode operation : rule.path("operations")) {
                acls.add(
                        new AclBinding(
                                pattern,
                                new AccessControlEntry(
                                        principal,
                                        rule.path("host").asText("*"),
                                        operation(operation.asText(), file),
                                        permission)));
            }
        }
        return new KafkaUserManifest(name, acls);
    }

    private static ResourceType resourceType(String type, Path file) {
        return switch (type) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException(file + ": unknown resource type " + type);
        };
    }

    /**
     * Strimzi writes operations as Kafka's names in camel case: DescribeConfigs is
     * DESCRIBE_CONFIGS.
     */
    private static AclOperation operation(String name, Path file) {
        return Arrays.stream(AclOperation.values())
                .filter(o -> o.name().replace("_", "").equals(name.toUpperCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException(file + ": unknown operation " + name));
    }
}
