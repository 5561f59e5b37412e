package io.customerbus.purchase.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import java.util.List;
import java.util.Optional;

/**
 * Idempotency-Key handling inside the request's transaction. The key row is inserted first, so a
 * concurrent retry with the same key waits on it and then sees the stored response.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** The response a key already produced. */
    public record StoredResponse(int status, String body) {}

    @Inject EntityManager entityManager;

    /** Empty when the key is new (go ahead); the stored response when it is a retry. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<StoredResponse> claim(
            String userId, String operation, String key, String requestHash) {
        int inserted =
                entityManager
                        .createNativeQuery(
                                "INSERT INTO idempotency_key (user_id, operation, key, request_hash)"
                                        + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
                        .setParameter(1, userId)
                        .setParameter(2, operation)
                        .setParameter(3, key)
                        .setParameter(4, requestHash)
                        .executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                entityManager
                        .createNativeQuery(
                                "SELECT request_hash, response_status, response_body FROM idempotency_key"
                                        + " WHERE user_id = ?1 AND operation = ?2 AND key = ?3")
                        .setParameter(1, userId)
                        .setParameter(2, operation)
                        .setParameter(3, key)
                        .getResultList();
        Object[] row = rows.get(0);
        if (!requestHash.equals(row[0])) {
            throw new ClientErrorException(
                    "Idempotency-Key was already used with a different request", 422);
        }
        return Optional.of(new StoredResponse(((Number) row[1]).intValue(), (String) row[2]));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(String userId, String operation, String key, int status, String body) {
        entityManager
                .createNativeQuery(
                        "UPDATE idempotency_key SET response_status = ?4, response_body = ?5"
                                + " WHERE user_id = ?1 AND operation = ?2 AND key = ?3")
                .setParameter(1, userId)
                .setParameter(2, operation)
                .setParameter(3, key)
                .setParameter(4, status)
                .setParameter(5, body)
                .executeUpdate();
    }
}
