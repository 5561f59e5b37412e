package io.customerbus.cli;

import io.customerbus.runtime.operations.NotAudited;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * What a command says when the broker fails it, and its exit code. Only a broker out of reach (or
 * too slow: Kafka's retriable errors, timeouts among them) is exit 3, which a script may retry; a
 * refusal — credentials, ACLs, a record too large — is exit 1 with the broker's reason, since
 * trying again changes nothing.
 */
final class BrokerFailures {

    private BrokerFailures() {}

    static int report(Throwable failure) {
        return report("reach the broker", failure);
    }

    /** {@code what} the command could not do, as "could not {@code what}: ...". */
    static int report(String what, Throwable failure) {
        String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        String prefix = "could not " + what + ": ";
        if (failure instanceof AuthenticationException) {
            System.err.println(prefix + "the broker refused the credentials: " + why);
            return ExitCodes.FAILED;
        }
        if (failure instanceof AuthorizationException) {
            System.err.println(
                    prefix + "the broker refused it (the user's ACLs do not allow it): " + why);
            return ExitCodes.FAILED;
        }
        if (!isRefusal(failure)) {
            System.err.println(prefix + why);
            return ExitCodes.BROKER_UNREACHABLE;
        }
        System.err.println(prefix + "the broker refused it: " + why);
        return ExitCodes.FAILED;
    }

    /** An action done but not recorded: said as it is, with its own exit code. */
    static int report(NotAudited done) {
        System.err.println(done.getMessage());
        return ExitCodes.NOT_AUDITED;
    }

    /** Whether the broker answered with a refusal, which trying again does not change. */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof ApiException && !(failure instanceof RetriableException);
    }
}
