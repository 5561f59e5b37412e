package io.customerbus.cli;

import picocli.CommandLine.Command;

/** The clients' users on a secured broker. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = "SCRAM users and their ACLs on a secured broker.",
        subcommands = {UsersSyncCommand.class})
public class UsersCommand {}
