package io.customerbus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one PostgreSQL server is shared by every service with a database. At full scale — each
 * Deployment at its autoscaler's maximum, each connection pool full, and the outbox's relay and
 * listener on connections of their own — they must fit its {@code max_connections} (else new
 * connections are refused while scaling out under load), and the advisory locks the outbox writer
 * takes, one per customer of a transaction (a gateway batch holds up to a batch's worth), its
 * shared lock table (else "out of shared memory" fails every transaction on the server).
 */
class PostgresCapacityTest {

    /** PostgreSQL's defaults, where the StatefulSet does not set them. */
    private static final Map<String, String> DEFAULTS =
            Map.of(
                    "max_connections", "100",
                    "max_locks_per_transaction", "64",
                    "superuser_reserved_connections", "3");

    /** The relay's and the listener's connections, outside the pool. */
    private static final int OUTBOX_CONNECTIONS = 2;

    @ParameterizedTest
    @MethodSource("io.customerbus.k8s.ManifestsTest#overlays")
    void postgresHoldsEveryConnectionAndLockItsServicesCanAskFor(String overlay) {
        Rendered rendered = Rendered.overlay(ManifestsTest.K8S, overlay);
        Map<String, String> server = settings(rendered);
        long connections = 0;
        long locks = 0;
        StringBuilder sums = new StringBuilder();
        for (Deployment d : rendered.all(Deployment.class)) {
            String id = "Deployment/" + d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env =
                    ManifestsTest.environment(rendered, ManifestsTest.exampleSecrets(), c, id);
            if (!env.containsKey("PGHOST")) {
                continue;
            }
            ServiceConfig config =
                    ServiceConfig.of(ManifestsTest.ROOT, ManifestsTest.module(c.getImage()));
            int replicas = maxReplicas(rendered, d);
            int pool = Integer.parseInt(setting(env, config, "DB_POOL_SIZE"));
            int own =
                    "true".equals(config.properties().get("bus.outbox.enabled"))
                            ? OUTBOX_CONNECTIONS
                            : 0;
            // Every transaction of the pool at once, each locking its customers.
            int customersPerTransaction =
                    config.envDefaults().containsKey("BUS_GATEWAY_MAX_BATCH_EVENTS")
                            ? Integer.parseInt(setting(env, config, "BUS_GATEWAY_MAX_BATCH_EVENTS"))
                            : 1;
            connections += (long) replicas * (pool + own);
            locks += (long) replicas * pool * customersPerTransaction;
            sums.append(
                    String.format(
                            "%n  %s: %d replicas x (pool %d + %d), %d customers a transaction",
                            id, replicas, pool, own, customersPerTransaction));
        }
        int maxConnections = Integer.parseInt(server.get("max_connections"));
        assertThat(connections)
                .as(overlay + ": connections at full scale" + sums)
                .isPositive()
                .isLessThanOrEqualTo(
                        maxConnections
                                - Integer.parseInt(server.get("superuser_reserved_connections")));
        assertThat(locks)
                .as(overlay + ": advisory locks at full scale" + sums)
                .isLessThanOrEqualTo(
                        (long) Integer.parseInt(server.get("max_locks_per_transaction"))
                                * maxConnections);
    }

    /** The server's settings: its defaults, overridden by the container's {@code -c k=v}. */
    private static Map<String, String> settings(Rendered rendered) {
        StatefulSet postgres = rendered.named(StatefulSet.class, "postgres").orElseThrow();
        List<String> args =
                Objects.requireNonNullElse(
                        postgres.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
                        List.of());
        Map<String, String> settings = new HashMap<>(DEFAULTS);
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-c")) {
                String[] setting = args.get(i + 1).split("=", 2);
                settings.put(setting[0], setting[1]);
            }
        }
        return settings;
    }

    /** What the Deployment sets, else the service's default. */
    private static String setting(Map<String, String> env, ServiceConfig config, String name) {
        return env.getOrDefault(name, config.envDefaults().get(name));
    }

    /** The most replicas its autoscaler (HPA or KEDA) may give it, else its own count. */
    private static int maxReplicas(Rendered rendered, Deployment d) {
        String name = d.getMetadata().getName();
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            if (hpa.getSpec().getScaleTargetRef().getName().equals(name)) {
                return hpa.getSpec().getMaxReplicas();
            }
        }
        for (Keda.ScaledObject scaler : rendered.all(Keda.ScaledObject.class)) {
            if (scaler.spec().scaleTargetRef().name().equals(name)) {
                return scaler.spec().maxReplicaCount();
            }
        }
        return Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    }
}
