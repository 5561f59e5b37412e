package io.customerbus.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own — initdb in a temporary directory, its own port — for
 * faults the machine's PostgreSQL must never see: stopped with {@code -m immediate} (no checkpoint,
 * every backend cut off, crash recovery at the next start). initdb and pg_ctl refuse to run as
 * root, so as root they run as the postgres user on a directory it owns.
 */
final class LocalPostgres implements AutoCloseable {

    private final Path home;
    private final Path data;
    private final int port;

    LocalPostgres() throws IOException, InterruptedException {
        home = Files.createTempDirectory("systest-postgres-");
        data = home.resolve("data");
        port = Ports.free();
        if (asRoot()) {
            run(List.of("chown", "postgres:postgres", home.toString()), false);
        }
        run(command("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync"));
        start();
    }

    int port() {
        return port;
    }

    /**
     * Starts the server (after a hard stop: crash recovery first); returns once it takes queries.
     */
    void start() throws IOException, InterruptedException {
        String options = "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1";
        run(
                command(
                        "pg_ctl",
                        "-D",
                        data.toString(),
                        "-l",
                        home.resolve("server.log").toString(),
                        "-o",
                        options,
                        "-w",
                        "start"));
    }

    /** The hard way: no checkpoint, connections cut, as a crash of the server would. */
    void stopImmediately() throws IOException, InterruptedException {
        run(command("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(command("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"), false);
        } finally {
            Platform.deleteTree(home);
        }
    }

    private static List<String> command(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(binaries().resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PG_BIN, or the newest PostgreSQL installed the Debian way (/usr/lib/postgresql/N/bin). */
    private static Path binaries() throws IOException {
        String configured = System.getenv("PG_BIN");
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(
                            Comparator.comparing(
                                    bin ->
                                            Integer.parseInt(
                                                    bin.getParent().getFileName().toString())))
                    .orElseThrow(
                            () -> new IOException("no PostgreSQL server binaries; set PG_BIN"));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        run(command, true);
    }

    private static void run(List<String> command, boolean mustSucceed)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 && mustSucceed) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
