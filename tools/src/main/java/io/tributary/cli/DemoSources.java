package io.tributary.cli;

import io.tributary.definition.DefinitionAccess;
import io.tributary.definition.PipelineDefinition;
import io.tributary.definition.access.SettingAccess;
import io.tributary.local.SampleCrmApi;
import io.tributary.local.SamplePostgres;
import io.tributary.settings.Settings;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The stand-ins the demo starts for the sample pipelines' fetched sources, on loopback: a CRM API serving contacts
 * in pages (for {@code crm-contacts}) and an embedded PostgreSQL with an {@code orders} table (for
 * {@code order-ledger}). Their addresses and credentials become the app settings the definitions refer to, for
 * this process only; pointed at real systems, the same settings come from {@code local.settings.json}.
 */
final class DemoSources implements AutoCloseable {

    static final int CONTACTS = 240;
    static final int ORDERS = 2000;
    /** The contact the CRM changes, and the one it deletes, when new data arrives. */
    static final int CHANGED_CONTACT = 3;
    static final int DELETED_CONTACT = 7;

    private final SampleCrmApi crm;
    private final SamplePostgres database;

    private DemoSources(SampleCrmApi crm, SamplePostgres database) {
        this.crm = crm;
        this.database = database;
    }

    /** The app settings the stand-ins provide, which the sample definitions name. */
    static final List<String> SETTINGS = List.of("CRM_API_URL", "CRM_API_TOKEN", "ORDERS_DB_URL", "ORDERS_DB_USER",
            "ORDERS_DB_PASSWORD");

    /**
     * Lets the definitions name the stand-ins' settings, for this process: a {@code local.settings.json} written
     * before {@value SettingAccess#SETTING} existed does not list them, and the demo's samples need them.
     */
    static void allowSettings() {
        SettingAccess access = DefinitionAccess.from(Settings::get).settings();
        List<String> missing = SETTINGS.stream().filter(name -> access.refusal(name).isPresent()).toList();
        if (!missing.isEmpty()) {
            String listed = Settings.get(SettingAccess.SETTING).map(v -> v + ",").orElse("");
            Settings.overlay(Map.of(SettingAccess.SETTING, listed + String.join(",", missing)));
        }
    }

    /** Starts both stand-ins and points the settings at them. */
    static DemoSources start(PrintStream out) {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        SampleCrmApi crm = SampleCrmApi.start(0, token, CONTACTS, 100);
        SamplePostgres database;
        try {
            database = SamplePostgres.start(0, ORDERS);
        } catch (RuntimeException e) {
            crm.close();
            throw e;
        }
        Settings.overlay(Map.of(
                "CRM_API_URL", crm.baseUrl(),
                "CRM_API_TOKEN", token,
                "ORDERS_DB_URL", database.jdbcUrl(),
                "ORDERS_DB_USER", database.user(),
                "ORDERS_DB_PASSWORD", database.password()));
        out.println("Started stand-ins for the scheduled sources, on loopback:");
        out.println("  a sample CRM API at " + crm.baseUrl() + "/contacts (" + CONTACTS + " contacts)   "
                + "→ CRM_API_URL, CRM_API_TOKEN");
        out.println("  an embedded PostgreSQL at " + database.jdbcUrl() + " (" + ORDERS + " orders)   "
                + "→ ORDERS_DB_URL, ORDERS_DB_USER, ORDERS_DB_PASSWORD");
        return new DemoSources(crm, database);
    }

    /** The app settings {@code pipeline} refers to ({@code %NAME%}) that have no value, in order of mention. */
    static List<String> unsetSettings(PipelineDefinition pipeline) {
        return pipeline.settingNames().stream().filter(name -> Settings.get(name).isEmpty()).toList();
    }

    /** New business since the first runs: contacts added and changed, orders added. */
    String arrive() {
        crm.addContacts(5);
        Instant latest = Instant.parse(crm.updatedAt(crm.contacts() - 1));
        crm.touch(CHANGED_CONTACT, latest.plusSeconds(20));
        crm.delete(DELETED_CONTACT, latest.plusSeconds(30));
        database.addOrders(40);
        return "5 new contacts, contact " + CHANGED_CONTACT + " changed and contact " + DELETED_CONTACT
                + " deleted in the CRM, 40 new orders in the database";
    }

    @Override
    public void close() {
        try {
            crm.close();
        } finally {
            database.close();
        }
    }
}
