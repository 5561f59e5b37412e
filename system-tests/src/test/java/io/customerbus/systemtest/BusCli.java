package io.customerbus.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged bus admin CLI, run as an operator runs it. */
final class BusCli {

    record Result(int exitCode, String output) {}

    private final String bootstrapServers;
    private final Map<String, String> env;
    private final List<String> jvmOptions;

    BusCli(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** With settings of its own, e.g. a secured broker's credentials (KAFKA_SASL_JAAS_CONFIG). */
    BusCli(String bootstrapServers, Map<String, String> env) {
        this(bootstrapServers, env, List.of());
    }

    /** With options for its JVM too, e.g. a heap smaller than what it reads. */
    BusCli(String bootstrapServers, Map<String, String> env, List<String> jvmOptions) {
        this.bootstrapServers = bootstrapServers;
        this.env = env;
        this.jvmOptions = jvmOptions;
    }

    Result run(String... args) throws IOException, InterruptedException {
        Path jar = Platform.root().resolve("bus-cli/target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-server", bootstrapServers));
        // Its output to a file, read once it has ended: a pipe read to its end would wait for a
        // hung CLI as long as it hangs, and the bound below would never be reached.
        Path output = Files.createTempFile("bus-cli", ".out");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "bus-cli "
                                + String.join(" ", args)
                                + " hung:\n"
                                + Files.readString(output));
            }
            return new Result(
                    process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
