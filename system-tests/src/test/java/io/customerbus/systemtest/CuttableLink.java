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
    private volatile ServerSocket listening;

    CuttableLink(int target) throws IOException {
        this.target = target;
        restore();
    }

    int port() {
        return port;
    }

    /** Resets every connection through the link and refuses new ones until {@link #restore()}. */
    synchronized void cut() throws IOException {
        listening.close();
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0); // an RST, not an orderly close
            } catch (IOException e) {
                // closed meanwhile by its other side
            }
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Takes connections again, on the same port. */
    synchronized void restore() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listening = server;
        Thread accepting = new Thread(() -> accept(server), "link-" + port);
        accepting.setDaemon(true);
        accepting.start();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                return; // the link was cut
            }
        }
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
