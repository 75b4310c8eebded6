package io.tributary.stage;

import io.tributary.definition.DefinitionAccess;
import io.tributary.settings.Settings;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a run sees of the app's settings: the access its definition snapshot is read under (the settings and
 * containers a definition may use), and the values of the settings a definition names, looked up when a run needs
 * them (to mask them as secrets). The app builds one from the settings it read at start and hands it to the stores.
 *
 * @param access the settings and containers definitions may use
 * @param values the value of a setting a definition names, looked up when needed (a value may change while the app
 *               runs, as a Key Vault reference's does)
 */
public record RunSettings(DefinitionAccess access, Function<String, Optional<String>> values) {

    /** What this process's settings grant and hold, for stores built outside the app (tools and tests). */
    public static RunSettings ofProcess() {
        return new RunSettings(DefinitionAccess.from(Settings::get), Settings::get);
    }
}
