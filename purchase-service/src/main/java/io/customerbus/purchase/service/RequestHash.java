package io.customerbus.purchase.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A fingerprint of a request, to tell a true retry from a different request under the same key. */
final class RequestHash {

    private RequestHash() {}

    static String of(ObjectMapper json, String operation, String userId, Object request) {
        try {
            byte[] canonical = json.writeValueAsBytes(List.of(operation, userId, request));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }
}
