package io.tributary.definition;

import io.tributary.definition.access.AccessCheck;
import io.tributary.definition.access.ContainerAccess;
import io.tributary.definition.access.SettingAccess;
import io.tributary.definition.step.LookupStep;
import java.util.Optional;
import java.util.function.Function;

/**
 * What definitions may reach beyond their own text: the app settings they may name and the containers they may
 * read, as the app settings {@value SettingAccess#SETTING} and {@value ContainerAccess#SETTING} say. Checked when a
 * definition is read ({@link AccessCheck}, with where) and again as a run reads a setting or a blob.
 */
public record DefinitionAccess(SettingAccess settings, ContainerAccess containers) {

    /** No setting; the default containers: what a definition reaches when neither setting is set. */
    public static final DefinitionAccess DEFAULT = new DefinitionAccess(SettingAccess.of(null),
            ContainerAccess.of(null));

    /** The access that the app settings {@code appSettings} grant. */
    public static DefinitionAccess from(Function<String, Optional<String>> appSettings) {
        return new DefinitionAccess(SettingAccess.of(appSettings.apply(SettingAccess.SETTING).orElse(null)),
                ContainerAccess.of(appSettings.apply(ContainerAccess.SETTING).orElse(null)));
    }

    /**
     * Why a run of {@code definition} may not read the blobs it names (its source blob, its lookups' references, the
     * upstream's datasets), the first refused; empty when it may read them all.
     */
    public Optional<String> readRefusal(PipelineDefinition definition) {
        Optional<String> refused = definition.sourceBlob().flatMap(b -> refused("source.blob " + b, container(b)));
        for (LookupStep lookup : definition.lookups()) {
            refused = refused.or(() -> refused("the lookup reference " + lookup.from(), lookup.container()));
        }
        if (definition.dataset().isPresent()) {
            refused = refused.or(() -> refused("the datasets of " + definition.dataset().get().pipeline(),
                    ContainerAccess.DATASETS));
        }
        return refused;
    }

    private Optional<String> refused(String what, String container) {
        return containers.refusal(container).map(why -> "the definition may not read " + what + ": " + why);
    }

    private static String container(String blobReference) {
        int slash = blobReference.indexOf('/');
        return slash < 0 ? blobReference : blobReference.substring(0, slash);
    }
}
