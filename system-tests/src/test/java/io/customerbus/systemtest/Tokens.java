package io.customerbus.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/** A key pair made for the run: the services trust its public half, tests sign RS256 tokens. */
final class Tokens {

    private final KeyPair keys;
    private final Path publicKey;

    Tokens() throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        publicKey = Files.createTempFile("systest-jwt-", ".pem");
        Files.writeString(
                publicKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
    }

    Path publicKeyFile() {
        return publicKey;
    }

    String customer(String userId) {
        return token(userId, "");
    }

    /** A CRM agent: may read customers and log support calls. */
    String agent(String name) {
        return token(name, "\"crm-agent\"");
    }

    /** An analyst: may read the analytics API. */
    String analyst(String name) {
        return token(name, "\"analyst\"");
    }

    /** An operator: may see and act on the whole bus in the console. */
    String admin(String name) {
        return token(name, "\"bus-admin\"");
    }

    /** A publishing system's token for the event gateway: the types it may publish. */
    String publisher(String system, String... eventTypes) {
        String types = String.join("\",\"", eventTypes);
        return token(system, "\"event-publisher\"", ",\"event_types\":[\"" + types + "\"]");
    }

    private String token(String userId, String groups) {
        return token(userId, groups, "");
    }

    private String token(String userId, String groups, String moreClaims) {
        long now = Instant.now().getEpochSecond();
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims =
                encode(
                        ("{\"iss\":\"customer-event-bus\",\"aud\":\"customer-event-bus\",\"sub\":\"%s\","
                                        + "\"upn\":\"%s\",\"email\":\"%s@example.com\",\"groups\":[%s],\"iat\":%d,\"exp\":%d%s}")
                                .formatted(
                                        userId,
                                        userId,
                                        userId,
                                        groups,
                                        now,
                                        now + 3600,
                                        moreClaims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header
                    + "."
                    + claims
                    + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
