package io.customerbus.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.RollbackException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

/** Which database failures are an outage (503, retry) and which are errors (500). */
class DatabaseProblemMapperTest {

    @Test
    void aConnectionCutUnderTheOutboxWriterIsAnOutage() {
        SQLException cut = new SQLException("An I/O error occurred", "08006");
        BatchUpdateException batch =
                new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0], null);
        batch.setNextException(cut);

        assertThat(DatabaseProblemMapper.unreachable(new RuntimeException("outbox", batch)))
                .isTrue();
    }

    @Test
    void aCommitCutOffHalfWayIsAnOutage() {
        XAException xa = new XAException("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("This connection has been closed.", "08003"));
        Exception rollback = new Exception("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(xa);

        assertThat(DatabaseProblemMapper.unreachable(new RuntimeException(rollback))).isTrue();
    }

    @Test
    void aServerShuttingDownOrAPoolOutOfConnectionsIsAnOutage() {
        assertThat(DatabaseProblemMapper.unreachable(new SQLException("terminating", "57P01")))
                .isTrue();
        assertThat(
                        DatabaseProblemMapper.unreachable(
                                new SQLException("Sorry, acquisition timeout!")))
                .isTrue();
    }

    @Test
    void aTransactionItsTimeoutEndedIsAnOutage() {
        // The reaper rolled back a transaction stuck on a silent database; the commit then finds it
        // no longer active (what purchase-service answered with a 500 after a silent link).
        RollbackException timedOut =
                new RollbackException("ARJUNA016102: The transaction is not active! Uid is 0:1");

        assertThat(DatabaseProblemMapper.unreachable(new RuntimeException(timedOut))).isTrue();
    }

    @Test
    void aCommitRefusedByAConstraintOrAFlushThatFailedIsNot() {
        RollbackException refused = new RollbackException("ARJUNA016053: Could not commit");
        refused.addSuppressed(new SQLException("violates a deferred constraint", "23505"));
        RollbackException flush = new RollbackException("ARJUNA016053: Could not commit");
        flush.initCause(new IllegalStateException("a listener's bug"));

        assertThat(DatabaseProblemMapper.unreachable(new RuntimeException(refused))).isFalse();
        assertThat(DatabaseProblemMapper.unreachable(new RuntimeException(flush))).isFalse();
    }

    @Test
    void aConstraintViolationOrABugIsNot() {
        assertThat(DatabaseProblemMapper.unreachable(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(DatabaseProblemMapper.unreachable(new IllegalStateException("a bug"))).isFalse();
    }
}
