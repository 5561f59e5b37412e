package io.customerbus.runtime.redis;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * A subscriber whose state is in Redis (the email subscriber's "sent" keys, analytics' counts,
 * marks and positions) is only as exact as Redis is at keeping it. A server with a memory limit and
 * any policy but {@code noeviction} deletes keys when full, without an error anywhere: an email
 * sent twice, a count lost. Such a server makes the service unready, naming its policy and limit,
 * until it is set to {@code noeviction} — under which a full Redis refuses writes, which the
 * subscriber retries: late, not wrong. Read with INFO, which managed Redis services allow where
 * they disable CONFIG, on every probe: the setting can change under a running service.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = RedisEvictionCheck.ENABLED, stringValue = "true")
public class RedisEvictionCheck implements HealthCheck {

    /** Set (at build time) by a service whose state lives in Redis. */
    public static final String ENABLED = "bus.redis.holds-state";

    private static final Logger LOG = Logger.getLogger(RedisEvictionCheck.class);
    private static final String KEEPS_EVERY_KEY = "noeviction";

    @Inject RedisDataSource redis;

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    // Logged once per change, not on every probe (probes may run side by side).
    private final AtomicBoolean evictionReported = new AtomicBoolean();
    private final AtomicBoolean unreadableReported = new AtomicBoolean();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis-eviction");
        Map<String, String> memory;
        try {
            // Bounded well under a probe's timeout; Redis out of reach is Quarkus's own check's.
            memory =
                    fields(
                            redis.getReactive()
                                    .execute("INFO", "memory")
                                    .await()
                                    .atMost(ANSWER_WITHIN)
                                    .toString());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("NOPERM")) {
                // A Redis user without INFO (an ACL of -@dangerous): the setting cannot be read,
                // which says nothing of it; a service unready for good would be worse.
                if (!unreadableReported.getAndSet(true)) {
                    LOG.warn(
                            "Redis refuses INFO to this service's user: whether it may evict keys"
                                    + " is not checked (allow +info to check it)");
                }
                return response.up().withData("maxmemory-policy", "not readable").build();
            }
            return response.down().withData("redis", "not read: " + e.getMessage()).build();
        }
        String policy = memory.getOrDefault("maxmemory_policy", "unknown");
        long limit = Long.parseLong(memory.getOrDefault("maxmemory", "0"));
        // Without a limit (0) a 64-bit Redis never evicts, whatever its policy says.
        boolean evicts = limit > 0 && !KEEPS_EVERY_KEY.equals(policy);
        response.withData("maxmemory-policy", policy).withData("maxmemory", limit);
        boolean reported = evictionReported.getAndSet(evicts);
        if (evicts) {
            String problem =
                    "Redis deletes keys when it holds "
                            + limit
                            + " bytes (maxmemory-policy "
                            + policy
                            + "): this service's state would be lost without an error; set"
                            + " maxmemory-policy noeviction";
            if (!reported) {
                LOG.error(problem);
            }
            response.withData("problem", problem);
        } else if (reported) {
            LOG.infof("Redis keeps every key now (maxmemory-policy %s)", policy);
        }
        return response.status(!evicts).build();
    }

    /** INFO's "name:value" lines. */
    private static Map<String, String> fields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }
}
