package io.tributary.testing;

import io.tributary.local.Azurite;
import io.tributary.settings.Settings;
import io.tributary.storage.StorageAccount;
import io.tributary.storage.StorageClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Azurite for one test class, on free loopback ports, with its data in a temporary folder;
 * stopped and removed after the class. Also points the app settings at it.
 */
public final class AzuriteExtension implements BeforeAllCallback, AfterAllCallback {

    private Azurite azurite;
    private Path dataDir;

    /** The repository root, where node_modules/ and pipeline-defs/ are. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("tributary.root", ".")).toAbsolutePath();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("tributary-azurite-");
        azurite = Azurite.startOwned(projectRoot(), dataDir);
        Settings.clearOverlay();
        Settings.overlay(Map.of("AzureWebJobsStorage", azurite.connectionString(),
                "TRIBUTARY_WORK_DIR", dataDir.resolve("work").toString()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        Settings.clearOverlay();
        if (azurite != null) {
            azurite.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public String connectionString() {
        return azurite.connectionString();
    }

    /** New clients on this Azurite, with the retry policy interactive commands use. */
    public StorageClients clients() {
        StorageClients clients = new StorageClients(StorageAccount.from("AzureWebJobsStorage",
                name -> java.util.Optional.of(connectionString()).filter(v -> name.equals("AzureWebJobsStorage"))),
                StorageClients.RetryPolicy.INTERACTIVE);
        clients.provision();
        return clients;
    }

    public Path dataDir() {
        return dataDir;
    }
}
