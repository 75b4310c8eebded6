package io.tributary.definition.access;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Which app settings a definition may name as {@code %NAME%}: those that {@value #SETTING} lists (names, or
 * prefixes ending in {@code *}; unset, none), and never the settings of the Functions host, of Azure or of
 * Tributary itself ({@link #DENIED}), whatever the list says. A definition is written by whoever may add a file to
 * {@code pipeline-defs/}; without this rule it could send {@code AzureWebJobsStorage}, account key included, to any
 * host.
 */
public final class SettingAccess {

    /** The app setting listing the settings definitions may name. */
    public static final String SETTING = "TRIBUTARY_DEFINITION_SETTINGS";

    /**
     * Settings no definition may name, matched ignoring case: the Functions host's and the platform's (the storage
     * account's connection, the host's keys, telemetry, managed identity endpoints and secrets, Azure SDK
     * credentials), and Tributary's own configuration.
     */
    static final List<AllowList.Denied> DENIED = List.of(
            new AllowList.Denied("AzureWeb*", "the Functions host (its storage account with the account key, its "
                    + "secrets and key vault)"),
            new AllowList.Denied("AzureFunctions*", "the Functions host"),
            new AllowList.Denied("FUNCTIONS_*", "the Functions host"),
            new AllowList.Denied("FUNCTION_*", "the Functions host"),
            new AllowList.Denied("APPLICATIONINSIGHTS_*", "Application Insights (the app's telemetry)"),
            new AllowList.Denied("APPINSIGHTS_*", "Application Insights (the app's telemetry)"),
            new AllowList.Denied("WEBSITE_*", "the App Service platform (content share connection, auth keys)"),
            new AllowList.Denied("WEBSITES_*", "the App Service platform"),
            new AllowList.Denied("APPSETTING_*", "the App Service platform"),
            new AllowList.Denied("SCM_*", "the App Service deployment service"),
            new AllowList.Denied("CONTAINER_*", "the platform's container (its encryption key)"),
            new AllowList.Denied("DOCKER_*", "the platform's container registry"),
            new AllowList.Denied("IDENTITY_*", "the managed identity endpoint (its header is a secret)"),
            new AllowList.Denied("MSI_*", "the managed identity endpoint (its secret)"),
            new AllowList.Denied("AZURE_*", "Azure credentials (AZURE_CLIENT_SECRET, AZURE_TENANT_ID, …)"),
            new AllowList.Denied("JAVA_*", "the Java worker"),
            new AllowList.Denied("TRIBUTARY_*", "Tributary's own configuration"));

    private final AllowList allowed;

    private SettingAccess(AllowList allowed) {
        this.allowed = allowed;
    }

    /** The access that {@code value}, the allow-list setting's value (null when unset), grants. */
    public static SettingAccess of(String value) {
        return new SettingAccess(AllowList.parse(SETTING, value));
    }

    /**
     * {@code settings} as a definition may read them: asking for a setting this access refuses throws what
     * {@code refused} makes of its name and the reason, before its value is read.
     */
    public Function<String, Optional<String>> guard(Function<String, Optional<String>> settings,
                                                    BiFunction<String, String, RuntimeException> refused) {
        return name -> {
            Optional<String> why = refusal(name);
            if (why.isPresent()) {
                throw refused.apply(name, why.get());
            }
            return settings.apply(name);
        };
    }

    /**
     * Why a definition may not name the setting {@code name}, saying how to fix it; empty when it may.
     */
    public Optional<String> refusal(String name) {
        Optional<AllowList.Denied> denied = AllowList.Denied.first(DENIED, name);
        if (denied.isPresent()) {
            return Optional.of("the app setting " + name + " belongs to " + denied.get().owner() + " ("
                    + denied.get().pattern() + "), and no definition may read it, whatever " + SETTING + " lists: "
                    + "give what the source needs a setting of its own, such as CRM_API_TOKEN, and add that to "
                    + SETTING);
        }
        if (name.contains("__") || name.contains(":")) {
            return Optional.of("the app setting " + name + " is part of a nested configuration section (" + (name
                    .contains(":") ? "':'" : "'__'") + ", like an identity-based connection's X__clientSecret), and "
                    + "no definition may read one, whatever " + SETTING + " lists: give what the source needs a "
                    + "setting of its own, such as CRM_API_TOKEN, and add that to " + SETTING);
        }
        if (!allowed.allows(name)) {
            return Optional.of("the app setting " + name + " is not one definitions may use " + allowed.shown(
                    ", so definitions may use none") + ": add " + name + " to the app setting " + SETTING
                    + " (names or prefixes such as CRM_*, comma-separated; in local.settings.json Values locally, "
                    + "the function app's settings in Azure)");
        }
        return Optional.empty();
    }
}
