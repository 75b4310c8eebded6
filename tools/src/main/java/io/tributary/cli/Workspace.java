package io.tributary.cli;

import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineCatalog;
import io.tributary.engine.SqlCheck;
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

    private static final String PIPELINE_DEFS = "TRIBUTARY_PIPELINE_DEFS";

    private final Path root;
    private final PrintStream out;

    Workspace(Path root, PrintStream out) {
        this.root = root.toAbsolutePath().normalize();
        this.out = out;
        applySettings();
    }

    /**
     * Puts the app settings in place, as {@code func start} would: {@code local.settings.json}'s Values
     * (or, before a user made one, {@code local.settings.example.json}'s) with the environment winning,
     * then the workspace's defaults for what neither sets.
     */
    private void applySettings() {
        Map<String, String> values = new LinkedHashMap<>(LocalSettings.read(settingsFile()));
        values.keySet().removeIf(k -> System.getenv(k) != null);
        Settings.clearOverlay();
        Settings.overlay(values);
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(PIPELINE_DEFS, root.resolve("pipeline-defs").toString());
        defaults.put("TRIBUTARY_WORK_DIR", stateDir().resolve("work").toString());
        defaults.keySet().removeIf(k -> Settings.get(k).isPresent());
        Settings.overlay(defaults);
    }

    Path root() {
        return root;
    }

    /** The file the app settings are read from: {@code local.settings.json}, else {@code local.settings.example.json}. */
    Path settingsFile() {
        Path file = root.resolve("local.settings.json");
        return Files.exists(file) ? file : root.resolve("local.settings.example.json");
    }

    /** The definitions folder: the {@code TRIBUTARY_PIPELINE_DEFS} setting, relative to the project root. */
    Path pipelineDefs() {
        return root.resolve(Settings.get(PIPELINE_DEFS).orElse("pipeline-defs"));
    }

    /** Where commands keep their work files: the {@code TRIBUTARY_WORK_DIR} setting, by default in the state folder. */
    Path workDir() {
        return root.resolve(Settings.get("TRIBUTARY_WORK_DIR").orElse(stateDir().resolve("work").toString()));
    }

    Path stateDir() {
        return root.resolve(".tributary");
    }

    /** The settings and containers definitions may use, as the command's settings say. */
    DefinitionAccess definitionAccess() {
        return DefinitionAccess.from(Settings::get);
    }

    /** The definitions, each checked by the engine too. */
    PipelineCatalog catalog() {
        return PipelineCatalog.load(pipelineDefs(), new SqlCheck(), definitionAccess());
    }

    /**
     * The definitions as their JSON says, without the engine's check of their SQL: enough to know the pipelines'
     * names and triggers, without starting the engine (a second or more) for a command that only reads runs.
     */
    PipelineCatalog names() {
        return PipelineCatalog.load(pipelineDefs(), io.tributary.definition.DefinitionCheck.NONE, definitionAccess());
    }

    HostJson hostJson() {
        return HostJson.read(root.resolve("host.json"));
    }

    /**
     * Connects to the storage account this command uses, starting the embedded Azurite when the
     * settings ask for development storage, and points {@code AzureWebJobsStorage} at it.
     */
    StorageClients connect() {
        String configured = Settings.get("AzureWebJobsStorage", "UseDevelopmentStorage=true");
        if (configured.trim().equalsIgnoreCase("UseDevelopmentStorage=true")) {
            Azurite azurite = Azurite.ensureEmbedded(root, stateDir(), out::println);
            Settings.overlay(Map.of("AzureWebJobsStorage", azurite.connectionString()));
        }
        StorageAccount account = StorageAccount.from("AzureWebJobsStorage", Settings::get);
        requireReachable(account.blobEndpoint());
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
