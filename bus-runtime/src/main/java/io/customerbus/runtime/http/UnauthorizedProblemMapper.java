package io.customerbus.runtime.http;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 as problem+json with a Bearer challenge, for every service with a REST API. Replaces
 * quarkus-resteasy-problem's mapper for these two exceptions, which fails on this Quarkus version
 * (NoSuchFieldError) and answers 500.
 */
public class UnauthorizedProblemMapper {

    @ServerExceptionMapper(
            value = {UnauthorizedException.class, AuthenticationFailedException.class},
            priority = 1)
    public Response unauthorized(RuntimeException failure, UriInfo uri) {
        return Problem.of(
                        401,
                        "Unauthorized",
                        "a valid bearer token (signature, issuer, audience, expiry) is required",
                        null,
                        uri)
                .header("WWW-Authenticate", "Bearer")
                .build();
    }
}
