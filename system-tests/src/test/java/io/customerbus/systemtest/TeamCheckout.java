package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A team's own clone of the platform, as in user story 2: where it generates its subscriber with
 * './platform new-subscriber' and builds it, leaving everything else untouched.
 */
final class TeamCheckout {

    private final Path root;

    private TeamCheckout(Path root) {
        this.root = root;
    }

    static TeamCheckout cloned() throws IOException, InterruptedException {
        TeamCheckout checkout = new TeamCheckout(Files.createTempDirectory("systest-checkout-"));
        checkout.run("git", "clone", "-q", Platform.root().toString(), ".");
        return checkout;
    }

    Path root() {
        return root;
    }

    /** Runs a command in the checkout; fails the test if it fails. Its output. */
    String run(String... command) throws IOException, InterruptedException {
        Ran ran = exec(Duration.ofMinutes(5), command);
        assertThat(ran.exit()).as(String.join(" ", command) + "\n" + ran.output()).isZero();
        return ran.output();
    }

    /** Runs a command that must fail; what it said. */
    String refused(String... command) throws IOException, InterruptedException {
        Ran ran = exec(Duration.ofMinutes(1), command);
        assertThat(ran.exit()).as(String.join(" ", command) + "\n" + ran.output()).isNotZero();
        return ran.output();
    }

    private record Ran(int exit, String output) {}

    private Ran exec(Duration timeout, String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as(String.join(" ", command))
                .isTrue();
        return new Ran(process.exitValue(), output);
    }
}
