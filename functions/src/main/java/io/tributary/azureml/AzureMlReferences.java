package io.tributary.azureml;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The references a definition writes for Azure ML assets, as ARM's job API takes them: {@code azureml:NAME:VERSION}
 * (the CLI's and SDK's short form, which they resolve before they call ARM) becomes the version's ARM resource id in
 * the workspace; a full resource id is taken as it is.
 */
final class AzureMlReferences {

    /** {@code azureml:NAME:VERSION}: a name and an explicit version, neither holding '/', ':' or '@'. */
    private static final Pattern SHORT = Pattern.compile("azureml:([^/:@]+):([^/:@]+)");
    /** A component version's resource id in some workspace. */
    private static final Pattern COMPONENT_ID = Pattern.compile("/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
            + "Microsoft\\.MachineLearningServices/workspaces/[^/]+/components/[^/]+/versions/[^/]+",
            Pattern.CASE_INSENSITIVE);
    /** A component version in a registry. */
    private static final Pattern REGISTRY_ID = Pattern.compile("azureml://registries/[^/]+/components/[^/]+/versions/"
            + "[^/]+", Pattern.CASE_INSENSITIVE);

    private AzureMlReferences() {
    }

    /**
     * The ARM resource id of the component version {@code reference} names.
     *
     * @throws IllegalArgumentException saying which forms are taken, when it is none of them
     */
    static String component(String reference, AzureMlWorkspace workspace) {
        String text = reference.strip();
        Matcher shortForm = SHORT.matcher(text);
        if (shortForm.matches()) {
            return workspace.resourceId() + "/components/" + shortForm.group(1) + "/versions/" + shortForm.group(2);
        }
        String id = text.toLowerCase(Locale.ROOT).startsWith("azureml:/subscriptions/")
                ? text.substring("azureml:".length()) : text;
        if (COMPONENT_ID.matcher(id).matches() || REGISTRY_ID.matcher(id).matches()) {
            return id;
        }
        throw new IllegalArgumentException("component '" + reference + "' is neither azureml:NAME:VERSION nor a "
                + "component version's resource id (" + AzureMlWorkspace.SHAPE + "/components/NAME/versions/VERSION, "
                + "or azureml://registries/REGISTRY/components/NAME/versions/VERSION); Azure Resource Manager takes "
                + "no @latest or label, so name the version (az ml component list -n NAME shows them)");
    }

    /**
     * What a job input's {@code uri} is for {@code value}: a data asset's {@code azureml:NAME:VERSION} becomes the
     * version's ARM resource id in the workspace; any other value (an {@code azureml://} datastore path, an
     * {@code abfss://} or {@code https://} URL, a resource id) is sent as it is.
     */
    static String dataUri(String value, AzureMlWorkspace workspace) {
        Matcher shortForm = SHORT.matcher(value.strip());
        if (shortForm.matches()) {
            return workspace.resourceId() + "/data/" + shortForm.group(1) + "/versions/" + shortForm.group(2);
        }
        return value;
    }
}
