package io.tributary.azureml;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Azure Resource Manager as the tests need it: a real HTTPS server on 127.0.0.1 and a free port, with a certificate
 * made for the test run (keytool, for {@code IP:127.0.0.1}) that only {@link #client()} trusts. It records every
 * request and gives the answers it was told to, in order.
 */
final class ArmServer implements AutoCloseable {

    /** What the server was asked. */
    record Request(String method, String path, String query, String authorization, String contentType, String body) {
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private static final char[] PASSWORD = "loopback-only".toCharArray();
    private static KeyStore keys;

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final SSLContext clientTls;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    ArmServer() {
        try {
            KeyStore keyStore = keyStore();
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, PASSWORD);
            SSLContext serverTls = SSLContext.getInstance("TLS");
            serverTls.init(keyManagers.getKeyManagers(), null, null);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            Certificate certificate = keyStore.getCertificate("arm");
            trusted.setCertificateEntry("arm", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            clientTls = SSLContext.getInstance("TLS");
            clientTls.init(null, trust.getTrustManagers(), null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A key pair and certificate for 127.0.0.1, made once per test run with the JDK's keytool. */
    private static synchronized KeyStore keyStore() throws IOException, java.security.GeneralSecurityException {
        if (keys == null) {
            Path dir = Files.createTempDirectory("arm-server");
            Path file = dir.resolve("arm.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "arm", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD),
                    "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            Files.delete(file);
            Files.delete(dir);
            keys = store;
        }
        return keys;
    }

    /** The answers to the next requests, in order; a request beyond them is answered 500. */
    synchronized ArmServer answer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Answer answer;
            synchronized (this) {
                answer = answers.poll();
            }
            if (answer == null) {
                answer = json(500, "{\"error\":{\"code\":\"Unexpected\",\"message\":\"no answer scripted\"}}");
            }
            answer.answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An answer with {@code status} and a JSON {@code body}; {@code headers} as name, value, name, value… */
    static Answer json(int status, String body, String... headers) {
        return exchange -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        };
    }

    /** ARM's error answer: {@code {"error": {"code": …, "message": …}}}. */
    static Answer error(int status, String code, String message, String... headers) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}", headers);
    }

    /** No answer until the server closes: a request lost on its way. */
    Answer silence() {
        return exchange -> closing.await(30, TimeUnit.SECONDS);
    }

    /** Answers {@code status} with a body that quotes the request's Authorization header, as a broken proxy might. */
    static Answer echoingAuthorization(int status) {
        return exchange -> json(status, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad header "
                + exchange.getRequestHeaders().getFirst("Authorization") + "\"}}").answer(exchange);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** {@code https://127.0.0.1:PORT}: ARM's endpoint, for {@link AzureMlTarget}. */
    URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client that trusts this server's certificate, and nothing else's. */
    HttpClient client() {
        return HttpClient.newBuilder().sslContext(clientTls).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
