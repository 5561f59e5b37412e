package io.customerbus.cli;

import picocli.CommandLine.Command;

/** Topic administration; the platform never relies on broker auto-creation. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create and list the bus topics.",
        subcommands = {EnsureTopicsCommand.class, ListTopicsCommand.class})
public class TopicsCommand {}
