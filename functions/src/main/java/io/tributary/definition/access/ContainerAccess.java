package io.tributary.definition.access;

import java.util.List;
import java.util.Optional;

/**
 * Which blob containers a definition may read ({@code source.blob}, a {@code lookup}'s {@code from}, and
 * {@code training} for a dataset trigger): those that {@value #SETTING} lists (names, or prefixes ending in
 * {@code *}; unset, {@link #DEFAULT}), and never Tributary's own state and run folders or the Functions host's
 * containers ({@link #DENIED}), whatever the list says.
 */
public final class ContainerAccess {

    /** The app setting listing the containers definitions may read. */
    public static final String SETTING = "TRIBUTARY_READABLE_CONTAINERS";

    /** The containers definitions may read when {@value #SETTING} is unset. */
    public static final String DEFAULT = "reference,landing,training";

    /** The container a dataset trigger reads its upstream's datasets from. */
    public static final String DATASETS = "training";

    /** Containers no definition may read, matched ignoring case. */
    static final List<AllowList.Denied> DENIED = List.of(
            new AllowList.Denied("tributary-*", "Tributary's own runs and state (run folders, fetched records, "
                    + "schedule marks, claims)"),
            new AllowList.Denied("app-package*", "the app's deployment package"),
            new AllowList.Denied("azure-webjobs*", "the Functions host (its keys, secrets and leases)"),
            new AllowList.Denied("azure-functions*", "the Functions host"),
            new AllowList.Denied("scm-*", "the App Service deployment service"),
            new AllowList.Denied("function-releases", "the Functions deployment tools"));

    private final AllowList allowed;

    private ContainerAccess(AllowList allowed) {
        this.allowed = allowed;
    }

    /** The access that {@code value}, the allow-list setting's value (null or blank: the default), grants. */
    public static ContainerAccess of(String value) {
        return new ContainerAccess(AllowList.parse(SETTING, value == null || value.isBlank() ? DEFAULT : value));
    }

    /** Why a definition may not read the container {@code container}, saying how to fix it; empty when it may. */
    public Optional<String> refusal(String container) {
        Optional<AllowList.Denied> denied = AllowList.Denied.first(DENIED, container);
        if (denied.isPresent()) {
            return Optional.of("the container " + container + " belongs to " + denied.get().owner() + " ("
                    + denied.get().pattern() + "), and no definition may read it, whatever " + SETTING + " lists: "
                    + "keep the data in a container of its own, such as reference, and add that to " + SETTING);
        }
        if (!allowed.allows(container)) {
            return Optional.of("the container " + container + " is not one definitions may read " + allowed.shown("")
                    + ": add " + container + " to the app setting " + SETTING + " (names or prefixes such as "
                    + "erp-*, comma-separated; unset, it is " + DEFAULT + ")");
        }
        return Optional.empty();
    }
}
