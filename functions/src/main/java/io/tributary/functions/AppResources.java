package io.tributary.functions;

import io.tributary.definition.access.ContainerAccess;
import io.tributary.definition.access.SettingAccess;
import io.tributary.run.RunLayout;
import io.tributary.settings.Settings;
import io.tributary.storage.StorageClients;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deployment of the app must provide: the containers, queues and tables it reads and writes, and the app
 * settings the Functions host in Azure needs. The one list that infra/ (Bicep) is checked against; the names
 * themselves come from {@link RunLayout} and {@link StorageClients}.
 */
public final class AppResources {

    /** The containers the stage chain uses. */
    public static final List<String> CONTAINERS = StorageClients.CONTAINERS;

    /**
     * The container Flex Consumption deploys the app's package from. The app never touches it; the platform reads it
     * with the app's identity.
     */
    public static final String DEPLOYMENT_CONTAINER = "app-package";

    /**
     * Every queue: each stage's, each stage's poison queue (the host moves a message there after its last attempt),
     * and the blob trigger's poison queue (the host reports a file drop there whose trigger kept failing).
     */
    public static final List<String> QUEUES = queues();

    /** The run history's tables. */
    public static final List<String> TABLES = StorageClients.TABLES;

    /** The connection every trigger names; in Azure it is identity-based, so it is given as these settings. */
    public static final String STORAGE_CONNECTION = "AzureWebJobsStorage";

    /** The identity-based storage connection: service URIs, the credential kind and which identity to use. */
    public static final List<String> STORAGE_CONNECTION_SETTINGS = List.of(
            STORAGE_CONNECTION + "__blobServiceUri",
            STORAGE_CONNECTION + "__queueServiceUri",
            STORAGE_CONNECTION + "__tableServiceUri",
            STORAGE_CONNECTION + "__credential",
            STORAGE_CONNECTION + "__clientId");

    /** The schedule a timer binding names as {@code %SETTING%}: the Functions host in Azure has no default for it. */
    public static final String SCHEDULE_TICK = "TRIBUTARY_SCHEDULE_TICK";

    /** The settings that bindings name ({@code %SETTING%}): without them the Functions host cannot index the app. */
    public static final List<String> BINDING_SETTINGS = List.of(SCHEDULE_TICK, Settings.POISON_WATCH_SCHEDULE);

    /** The fileDrop function binds an SDK-type BlobClient, which the Java worker offers only with this set. */
    public static final String SDK_TYPES = "JAVA_ENABLE_SDK_TYPES";

    /** The webhook alerts are posted to; a secret, so in Azure a Key Vault reference, or unset (no alerts). */
    public static final String ALERT_WEBHOOK_URL = "TRIBUTARY_ALERT_WEBHOOK_URL";

    /**
     * What pipeline definitions may reach: the settings they may name and the containers they may read. A
     * deployment sets both, so that what its definitions reach is written down with it.
     */
    public static final List<String> ACCESS_SETTINGS = List.of(SettingAccess.SETTING, ContainerAccess.SETTING);

    /** Every app setting a deployment to Azure must set. */
    public static final List<String> REQUIRED_SETTINGS = requiredSettings();

    private AppResources() {
    }

    private static List<String> queues() {
        List<String> queues = new ArrayList<>();
        for (String queue : RunLayout.STAGE_QUEUES) {
            queues.add(queue);
            queues.add(RunLayout.poisonQueue(queue));
        }
        queues.add(RunLayout.BLOB_TRIGGER_POISON_QUEUE);
        return List.copyOf(queues);
    }

    private static List<String> requiredSettings() {
        List<String> settings = new ArrayList<>(STORAGE_CONNECTION_SETTINGS);
        settings.addAll(BINDING_SETTINGS);
        settings.add(SDK_TYPES);
        settings.addAll(ACCESS_SETTINGS);
        return List.copyOf(settings);
    }
}
