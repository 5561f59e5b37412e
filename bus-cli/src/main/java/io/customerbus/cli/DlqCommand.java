package io.customerbus.cli;

import picocli.CommandLine.Command;

/** A subscriber's dead letters: see them, send them back to that subscriber, clear them. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Inspect, re-drive and purge a subscriber's dead-letter topic.",
        subcommands = {
            DlqListCommand.class,
            DlqShowCommand.class,
            DlqRedriveCommand.class,
            DlqPurgeCommand.class
        })
public class DlqCommand {}
