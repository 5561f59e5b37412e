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

/**
 * A TCP link from a port of its own to a server, that a test can cut — every connection reset, new
 * ones refused, as when the network to the server fails — and restore, while the server itself
 * keeps running with all its data. For faults of a shared server (the machine's Redis) that the
 * test must not stop.
 */
final class CuttableLink implements AutoCloseable {

    private final int port = Ports.free();
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private ServerSocket listening;
    private boolean cut;

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

    /** Takes connections again, on the same port. */
    synchronized void restore() throws IOException {
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
        pipe(client, upstream);
        pipe(upstream, client);
    }

    private void pipe(Socket from, Socket to) {
        Thread copying =
                new Thread(
                        () -> {
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                in.transferTo(out);
                            } catch (IOException e) {
                                // cut, or closed by one side: the other side is closed below
                            } finally {
                                closeQuietly(from);
                                closeQuietly(to);
                                open.remove(from);
                                open.remove(to);
                            }
                        },
                        "link-" + port + "-copy");
        copying.setDaemon(true);
        copying.start();
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
