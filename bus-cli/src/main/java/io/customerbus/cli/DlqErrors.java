package io.customerbus.cli;

import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The dlq commands' failures, as messages and exit codes. */
final class DlqErrors {

    private DlqErrors() {}

    static int report(DlqOptions dlq, Throwable failure) {
        if (failure instanceof UnknownTopicOrPartitionException) {
            System.err.println(
                    "subscriber '" + dlq.subscriber + "' has no dead-letter topic " + dlq.topic());
            return ExitCodes.NOT_FOUND;
        }
        return BrokerFailures.report(failure);
    }
}
