package io.customerbus.runtime.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an oversized body with 413 problem+json before it is read. Quarkus enforces the same
 * limit itself, but with an empty plain response.
 */
@ApplicationScoped
public class BodyLimitFilter {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    void install(@Observes Router router) {
        long max = limit.asLongValue();
        router.route()
                .order(Integer.MIN_VALUE)
                .handler(
                        context -> {
                            String length = context.request().getHeader("Content-Length");
                            if (length != null
                                    && length.matches("\\d{1,18}")
                                    && Long.parseLong(length) > max) {
                                JsonObject problem =
                                        new JsonObject()
                                                .put("status", 413)
                                                .put("title", "Payload Too Large")
                                                .put(
                                                        "detail",
                                                        "the body may be at most " + max + " bytes")
                                                .put("instance", context.request().path());
                                context.response()
                                        .setStatusCode(413)
                                        .putHeader("Content-Type", "application/problem+json")
                                        .putHeader("Connection", "close")
                                        .end(problem.encode());
                                return;
                            }
                            context.next();
                        });
    }
}
