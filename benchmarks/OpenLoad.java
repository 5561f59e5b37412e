import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load of platform-bench.sh: POST /purchases as many customers (one token each, in turn), over
 * a fixed set of kept-alive HTTP/1.1 connections.
 *
 * <p>With --rate R it is open-loop: request i is due at start + i/R whatever the earlier ones are
 * doing, waits in a queue for a free connection if all are busy, and its latency is measured from
 * its due time, so a stall of the service shows up in the figures instead of silently slowing the
 * client down (closed-loop tools such as wrk hide it). With --rate 0 it is closed-loop: every
 * connection sends as soon as it has its answer, the flat-out rate.
 *
 * <p>HTTP is written and read by hand on plain sockets: the JDK's HttpClient cost more CPU per
 * request than the service it measured, on the same two cores.
 *
 * <p>Run: {@code java OpenLoad.java --url URL --tokens FILE --rate R --seconds S --connections C}.
 * Prints one line: {@code RESULT sent=... ok=... failed=... rate=... p50_ms=... p99_ms=...
 * max_ms=... cpu_ms=...}.
 */
public class OpenLoad {

    private static final byte[] BODY =
            "{\"productId\":\"bench-product\",\"quantity\":2,\"unitPrice\":19.99,\"currency\":\"EUR\"}"
                    .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        URI url = null;
        Path tokensFile = null;
        double rate = 0;
        int connections = 64;
        int seconds = 20;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = URI.create(args[i + 1]);
                case "--tokens" -> tokensFile = Path.of(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || tokensFile == null) {
            System.err.println(
                    "usage: OpenLoad --url URL --tokens FILE [--rate PER_SECOND|0] [--seconds S]"
                            + " [--connections C]");
            System.exit(2);
        }
        List<String> tokens =
                Files.readAllLines(tokensFile).stream().filter(t -> !t.isBlank()).toList();
        OpenLoad load = new OpenLoad(url, tokens);
        long start = System.nanoTime();
        long[] latencies = load.run(rate, seconds, connections);
        load.report(latencies, (System.nanoTime() - start) / 1e9);
    }

    private final URI target;
    private final byte[][] requests;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure = "";

    private OpenLoad(URI target, List<String> tokens) {
        this.target = target;
        // Every request prepared up front: one per customer token.
        this.requests = new byte[tokens.size()][];
        for (int i = 0; i < tokens.size(); i++) {
            String head =
                    "POST " + target.getRawPath() + " HTTP/1.1\r\n"
                            + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                            + "Content-Type: application/json\r\n"
                            + "Authorization: Bearer " + tokens.get(i) + "\r\n"
                            + "Content-Length: " + BODY.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            requests[i] = Arrays.copyOf(headBytes, headBytes.length + BODY.length);
            System.arraycopy(BODY, 0, requests[i], headBytes.length, BODY.length);
        }
    }

    /**
     * Open loop: the scheduler puts each request's due time in the queue at that time; the
     * connections take them in order. Closed loop (rate 0): each connection sends at once again.
     */
    private long[] run(double rate, int seconds, int connections) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        int total = rate > 0 ? (int) Math.round(rate * seconds) : Integer.MAX_VALUE;
        BlockingQueue<Long> due = new ArrayBlockingQueue<>(rate > 0 ? total + 1 : 1);
        long[][] perConnection = new long[connections][];
        CountDownLatch finished = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Thread worker =
                    new Thread(
                            () -> {
                                perConnection[connection] = connection(due, rate > 0, end);
                                finished.countDown();
                            });
            worker.setDaemon(true);
            worker.start();
        }
        if (rate > 0) {
            double interval = 1e9 / rate;
            for (int i = 0; i < total; i++) {
                long at = start + (long) (i * interval);
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                due.add(at);
            }
            for (int c = 0; c < connections; c++) {
                due.add(-1L);
            }
        }
        finished.await();
        return Arrays.stream(perConnection).flatMapToLong(Arrays::stream).toArray();
    }

    /** One kept-alive connection's share of the load: the latency of each of its requests. */
    private long[] connection(BlockingQueue<Long> due, boolean paced, long end) {
        long[] latencies = new long[1024];
        int n = 0;
        Socket socket = null;
        try {
            while (true) {
                long at;
                if (paced) {
                    at = due.take();
                    if (at < 0) {
                        break;
                    }
                } else {
                    at = System.nanoTime();
                    if (at >= end) {
                        break;
                    }
                }
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(
                                new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
                        socket.setSoTimeout(30_000);
                    }
                    int status = exchange(socket);
                    if (status / 100 == 2) {
                        ok.incrementAndGet();
                    } else {
                        fail("HTTP " + status);
                    }
                } catch (IOException e) {
                    fail(e.toString());
                    close(socket);
                    socket = null;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = System.nanoTime() - at;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(socket);
        }
        return Arrays.copyOf(latencies, n);
    }

    /** Writes one request, reads its whole answer (Content-Length or chunked); the status. */
    private int exchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(requests[(int) (next.getAndIncrement() % requests.length)]);
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0;
                    size = Long.parseLong(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else {
            skip(in, length);
        }
        if (in.available() > 0) {
            throw new IOException("more bytes than the answer announced");
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the service");
            }
            if (b != '\r') {
                text.append((char) b);
            }
        }
        return text.toString();
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside an answer");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        lastFailure = why;
    }

    private static void close(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // gone already
        }
    }

    private void report(long[] latencies, double seconds) {
        Arrays.sort(latencies);
        long cpu =
                ProcessHandle.current()
                        .info()
                        .totalCpuDuration()
                        .map(java.time.Duration::toMillis)
                        .orElse(0L);
        System.out.printf(
                "RESULT sent=%d ok=%d failed=%d rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                        + " cpu_ms=%d%n",
                latencies.length,
                ok.get(),
                failed.get(),
                ok.get() / seconds,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
                cpu);
        if (failed.get() > 0) {
            System.err.println("last failure: " + lastFailure);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
