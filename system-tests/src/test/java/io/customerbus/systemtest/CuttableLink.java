package io.customerbus.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP link from a port of its own to a server, that a test can cut — every connection reset, new
 * ones refused, as when the network to the server fails — or silence — the connections carry
 * nothing and nobody is told, as when a node or a NAT's state is lost — and restore, while the
 * server itself keeps running with all its data; or hold what the connections carry, both ways,
 * until released, as a slow network or server would (a client's request stays unanswered). For
 * faults of a shared server (the machine's Redis, PostgreSQL) that the test must not stop.
 */
final class CuttableLink implements AutoCloseable {

    private final int port = Ports.free();
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Joined> joined = new CopyOnWriteArrayList<>();
    private ServerSocket listening;
    private boolean cut;
    private volatile CountDownLatch released = new CountDownLatch(0);
    private final AtomicInteger held = new AtomicInteger();

    /** A client joined to the server; once silent, its bytes are dropped both ways. */
    private static final class Joined {
        final Socket client;
        final Socket upstream;
        volatile boolean silent;

        Joined(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    CuttableLink(int target) throws IOException {
        this.target = target;
        restore();
    }

    int port() {
        return port;
    }

    /** Resets every connection through the link and refuses new ones until {@link #restore()}. */
    synchronized void cut() throws IOException {
        cut = true;
        listening.close();
        for (Socket socket : open) {
            reset(socket);
        }
    }

    /**
     * Every connection through the link goes silent — neither side hears of it — and new ones are
     * refused. At {@link #restore()} the server's side of each is reset (as the server's keepalive
     * would find it dead, ending its sessions); the client's stays open and silent: half-open.
     */
    synchronized void silence() throws IOException {
        cut = true;
        listening.close();
        joined.forEach(connection -> connection.silent = true);
    }

    /** From now on, what a connection carries waits in the link until {@link #release()}. */
    void hold() {
        released = new CountDownLatch(1);
    }

    /** Whether some connection's bytes are waiting in the link now. */
    boolean holding() {
        return held.get() > 0;
    }

    /** Passes on what was held, and what follows. */
    void release() {
        released.countDown();
    }

    /** Takes connections again, on the same port. */
    synchronized void restore() throws IOException {
        for (Joined connection : joined) {
            if (connection.silent) {
                reset(connection.upstream);
            }
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listening = server;
        cut = false;
        Thread accepting = new Thread(() -> accept(server), "link-" + port);
        accepting.setDaemon(true);
        accepting.start();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the link was cut
            }
            try {
                connect(client);
            } catch (IOException e) {
                reset(client); // the server refused: so does the link, and it takes the next one
            }
        }
    }

    /** Joins a client to the server, unless a cut came in between: then it is reset at once. */
    private synchronized void connect(Socket client) throws IOException {
        if (cut) {
            reset(client);
            return;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        Joined connection = new Joined(client, upstream);
        joined.add(connection);
        pipe(connection, client, upstream);
        pipe(connection, upstream, client);
    }

    private void pipe(Joined connection, Socket from, Socket to) {
        Thread copying =
                new Thread(
                        () -> {
                            try (InputStream in = from.getInputStream()) {
                                OutputStream out = to.getOutputStream();
                                byte[] buffer = new byte[16384];
                                for (int n; (n = in.read(buffer)) >= 0; ) {
                                    awaitRelease();
                                    if (!connection.silent) {
                                        out.write(buffer, 0, n);
                                    }
                                }
                            } catch (IOException | InterruptedException e) {
                                // cut, or closed by one side: the other side is closed below
                            } finally {
                                // A silent connection's client hears nothing, not even its end.
                                if (!connection.silent) {
                                    closeQuietly(connection.client);
                                    open.remove(connection.client);
                                    joined.remove(connection);
                                }
                                closeQuietly(connection.upstream);
                                open.remove(connection.upstream);
                            }
                        },
                        "link-" + port + "-copy");
        copying.setDaemon(true);
        copying.start();
    }

    private void awaitRelease() throws InterruptedException {
        CountDownLatch gate = released;
        if (gate.getCount() > 0) {
            held.incrementAndGet();
            try {
                gate.await();
            } finally {
                held.decrementAndGet();
            }
        }
    }

    /** An RST, not an orderly close: as a failing network or host would leave it. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed meanwhile by its other side
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
