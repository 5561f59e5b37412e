package io.customerbus.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The bus admin CLI: what an operator of the customer-events bus does by hand. */
@TopCommand
@Command(
        name = "bus",
        mixinStandardHelpOptions = true,
        description = "Administer the customer-events bus.",
        subcommands = {
            ReadyCommand.class,
            TopicsCommand.class,
            GroupsCommand.class,
            SubscribersCommand.class,
            ReplayCommand.class,
            TailCommand.class,
            DlqCommand.class,
            GenerateCommand.class,
            KeysCommand.class,
            UsersCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failed",
            "2:bad command line",
            "3:broker unreachable",
            "4:not found",
            "5:conflict"
        })
public class BusCommand {}
