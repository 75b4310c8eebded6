package io.tributary.cli;

import io.tributary.functions.FunctionApp;
import io.tributary.local.Azurite;
import io.tributary.local.LocalSettings;
import io.tributary.settings.HostJson;
import io.tributary.settings.Settings;
import io.tributary.storage.StorageAccount;
import io.tributary.storage.StorageClients;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project a command works in: its root (where {@code pipeline-defs/}, {@code host.json} and
 * {@code local.settings.json} are), its state folder {@code .tributary/}, and the storage account
 * commands use — the embedded Azurite unless {@code AzureWebJobsStorage} names another.
 */
final class Workspace {

    private final Path root;
    private final PrintStream out;

    Workspace(Path root, PrintStream out) {
        this.root = root.toAbsolutePath().normalize();
        this.out = out;
    }

    Path root() {
        return root;
    }

    Path pipelineDefs() {
        return root.resolve("pipeline-defs");
    }

    Path stateDir() {
        return root.resolve(".tributary");
    }

    HostJson hostJson() {
        return HostJson.read(root.resolve("host.json"));
    }

    /**
     * Puts the app settings in place, as {@code func start} would: {@code local.settings.json}'s Values
     * (or, before a user made one, {@code local.settings.example.json}'s), the environment winning,
     * with {@code AzureWebJobsStorage} pointed at the storage this command uses.
     */
    StorageClients connect() {
        Path settingsFile = root.resolve("local.settings.json");
        if (!Files.exists(settingsFile)) {
            settingsFile = root.resolve("local.settings.example.json");
        }
        Map<String, String> values = new LinkedHashMap<>(LocalSettings.read(settingsFile));
        values.keySet().removeIf(k -> System.getenv(k) != null);
        values.putIfAbsent("TRIBUTARY_PIPELINE_DEFS", pipelineDefs().toString());
        values.putIfAbsent("TRIBUTARY_WORK_DIR", stateDir().resolve("work").toString());
        Settings.overlay(values);
        String configured = Settings.get("AzureWebJobsStorage", "UseDevelopmentStorage=true");
        if (configured.trim().equalsIgnoreCase("UseDevelopmentStorage=true")) {
            Azurite azurite = Azurite.ensureEmbedded(root, stateDir(), out::println);
            Settings.overlay(Map.of("AzureWebJobsStorage", azurite.connectionString()));
        }
        StorageAccount account = StorageAccount.from("AzureWebJobsStorage", Settings::get);
        requireReachable(account.blobEndpoint());
        FunctionApp.reset();
        return new StorageClients(account, StorageClients.RetryPolicy.INTERACTIVE);
    }

    /** Fails in one line, within seconds, when storage does not answer. */
    static void requireReachable(URI endpoint) {
        String host = endpoint.getHost();
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : endpoint.getScheme().equals("https") ? 443 : 80;
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 3000);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot reach Azure Storage at " + endpoint + " (" + e.getMessage()
                    + "). Check AzureWebJobsStorage, or unset it to use the embedded Azurite.");
        }
    }
}
