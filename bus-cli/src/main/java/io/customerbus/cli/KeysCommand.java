package io.customerbus.cli;

import picocli.CommandLine.Command;

/** Subscribers' stores in Redis, for rebuilds. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Redis keys of a subscriber's store.",
        subcommands = {WipeKeysCommand.class})
public class KeysCommand {}
