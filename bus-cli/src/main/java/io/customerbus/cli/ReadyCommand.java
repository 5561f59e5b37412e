package io.customerbus.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Waits until the broker answers a real request, so scripts never rely on a fixed sleep. */
@Command(
        name = "ready",
        mixinStandardHelpOptions = true,
        description =
                "Wait until the broker answers (up to --timeout); exit 3 if it never does, 1 at"
                        + " once if it refuses the credentials.")
public class ReadyCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException {
        Instant deadline = Instant.now().plus(broker.timeout());
        try (Admin admin = broker.admin()) {
            while (true) {
                try {
                    DescribeClusterResult cluster = admin.describeCluster();
                    String id = cluster.clusterId().get();
                    int nodes = cluster.nodes().get().size();
                    System.out.printf(
                            "broker ready at %s (cluster %s, %d node%s)%n",
                            broker.bootstrapServers(), id, nodes, nodes == 1 ? "" : "s");
                    return ExitCodes.OK;
                } catch (ExecutionException e) {
                    if (BrokerFailures.isRefusal(e.getCause())) {
                        // It answered: no credentials or ACLs change by waiting.
                        return BrokerFailures.report("ask the broker", e.getCause());
                    }
                    if (Instant.now().isAfter(deadline)) {
                        System.err.printf(
                                "broker at %s did not answer within %s: %s%n",
                                broker.bootstrapServers(), broker.timeout(), e.getCause());
                        return ExitCodes.BROKER_UNREACHABLE;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }
}
