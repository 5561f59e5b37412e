package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Process process = start(command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    /** Runs a command that must fail; what it said. */
    String refused(String... command) throws IOException, InterruptedException {
        Process process = start(command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isNotZero();
        return output;
    }

    private Process start(String... command) throws IOException {
        return new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
    }
}
