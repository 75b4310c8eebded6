package io.tributary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 relay on loopback between the Storage SDK and Azurite that injects transient faults: while
 * {@link #share} is above 0, that share of requests (drawn from a seeded {@link Random}) is answered with a 500 or a
 * 503 storage error, or its connection is dropped without an answer, and is never forwarded; another share is held
 * for a while and then forwarded. Every request travels on its own upstream connection ({@code Connection: close}),
 * so request and response framing never has to be rewritten.
 */
public final class FaultyProxy implements AutoCloseable {

    /** What happened to one request. */
    public enum Fault {
        /** Answered 500 InternalError, not forwarded. */
        STATUS_500,
        /** Answered 503 ServerBusy, not forwarded. */
        STATUS_503,
        /** Its connection closed (RST) before any answer, not forwarded. */
        RESET,
        /**
         * Forwarded, but Azurite's answer is replaced by a 500: the request took effect and the client does not know,
         * as when a response is lost or comes after the client's try timeout.
         */
        LOST_RESPONSE,
        /** Held for {@link #SLOW_MILLIS}, then forwarded. */
        SLOW
    }

    public static final int SLOW_MILLIS = 1500;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Random random;
    private final long seed;
    private final ExecutorService connections;
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile double share;
    private volatile boolean lostResponses;
    private volatile boolean open = true;

    /**
     * @param upstreamPort the loopback port requests are forwarded to
     * @param seed         decides which requests fail and how
     */
    public FaultyProxy(int upstreamPort, long seed) {
        this.upstreamPort = upstreamPort;
        this.seed = seed;
        this.random = new Random(seed);
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger threads = new AtomicInteger();
        connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-proxy-" + upstreamPort + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        connections.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public long seed() {
        return seed;
    }

    /** From now on, {@code share} of the requests (0 to 1) fail; half as many more are slow. */
    public void share(double share) {
        this.share = share;
    }

    /** Whether faults include {@link Fault#LOST_RESPONSE}: requests that take effect and answer 500. */
    public void lostResponses(boolean on) {
        this.lostResponses = on;
    }

    /** How many requests got {@code fault}. */
    public int count(Fault fault) {
        return injected.get(fault).get();
    }

    /** How many requests failed without reaching Azurite. */
    public int failed() {
        return count(Fault.STATUS_500) + count(Fault.STATUS_503) + count(Fault.RESET) + count(Fault.LOST_RESPONSE);
    }

    /** How many requests reached Azurite. */
    public int forwarded() {
        return forwarded.get();
    }

    @Override
    public String toString() {
        return "FaultyProxy(seed " + seed + ", :" + port() + " -> :" + upstreamPort + "): forwarded " + forwarded
                + ", injected " + injected;
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                if (open) {
                    sleep(10);
                }
            }
        }
    }

    private Fault draw() {
        double s = share;
        if (s <= 0) {
            return null;
        }
        double x;
        int kind;
        synchronized (random) {
            x = random.nextDouble();
            kind = random.nextInt(lostResponses ? 4 : 3);
        }
        if (x < s) {
            return Fault.values()[kind];
        }
        return x < s * 1.5 ? Fault.SLOW : null;
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            String method = lines.get(0).split(" ", 2)[0];
            long length = 0;
            boolean chunked = false;
            boolean expectContinue = false;
            StringBuilder forwardHead = new StringBuilder(lines.get(0)).append("\r\n");
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = colon < 0 ? "" : line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                    default -> { }
                }
                if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("expect")) {
                    forwardHead.append(line).append("\r\n");
                }
            }
            forwardHead.append("Connection: close\r\n\r\n");
            if (expectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = chunked ? readChunked(in) : in.readNBytes((int) length);
            Fault fault = draw();
            if (fault != null) {
                injected.get(fault).incrementAndGet();
            }
            if (fault == Fault.RESET) {
                client.setSoLinger(true, 0);
                return;
            }
            if (fault == Fault.LOST_RESPONSE) {
                forward(forwardHead.toString(), body, chunked, OutputStream.nullOutputStream());
            }
            if (fault == Fault.STATUS_500 || fault == Fault.STATUS_503 || fault == Fault.LOST_RESPONSE) {
                boolean busy = fault == Fault.STATUS_503;
                // A lost response says 500 rather than closing the connection: the SDK retries a 500 on any request.
                String code = busy ? "ServerBusy" : "InternalError";
                byte[] error = method.equals("HEAD") ? new byte[0]
                        : ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code
                        + "</Code><Message>injected by FaultyProxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 " + (busy ? "503 Service Unavailable" : "500 Internal Server Error") + "\r\n"
                        + "Content-Type: application/xml\r\nx-ms-error-code: " + code + "\r\n"
                        + "Content-Length: " + (method.equals("HEAD") ? 0 : error.length) + "\r\n"
                        + "Connection: close\r\n\r\n";
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.write(error);
                out.flush();
                return;
            }
            if (fault == Fault.SLOW) {
                sleep(SLOW_MILLIS);
            }
            forward(forwardHead.toString(), body, chunked, out);
        } catch (IOException | RuntimeException e) {
            // The client or Azurite went away: the client sees a dropped connection, as it would without the proxy.
        }
    }

    /** Sends the request to Azurite on a connection of its own and copies the answer to {@code out}. */
    private void forward(String head, byte[] body, boolean chunked, OutputStream out) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            OutputStream up = upstream.getOutputStream();
            up.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                up.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                up.write(body);
                up.write((body.length == 0 ? "\r\n" : "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                up.write(body);
            }
            up.flush();
            forwarded.incrementAndGet();
            upstream.getInputStream().transferTo(out);
            out.flush();
        }
    }

    /** The request line and headers, without the blank line; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    /** A chunked body, decoded. */
    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        connections.shutdownNow();
    }
}
