package io.tributary.azureml;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure Machine Learning workspace, as Azure Resource Manager names it:
 * {@code /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}}.
 *
 * @param subscriptionId the subscription's id (a GUID)
 * @param resourceGroup  the resource group's name
 * @param name           the workspace's name
 */
public record AzureMlWorkspace(String subscriptionId, String resourceGroup, String name) {

    /** What a workspace's resource id looks like, for messages. */
    public static final String SHAPE =
            "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}";

    // ARM compares the fixed segments without case; the names are checked on their own below.
    private static final Pattern ID = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
            + "([^/]+)/([^/]+)/([^/]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Resource group names: 1 to 90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'. */
    private static final Pattern GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]", Pattern.UNICODE_CHARACTER_CLASS);
    /** Workspace names, as Azure Machine Learning's REST reference gives them. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}");

    /**
     * The workspace {@code id} names.
     *
     * @throws IllegalArgumentException saying which part is wrong and what the id looks like
     */
    public static AzureMlWorkspace parse(String id) {
        String text = id.strip();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        Matcher m = ID.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a workspace's resource id, which looks like " + SHAPE
                    + " (az ml workspace show -g GROUP -n NAME --query id -o tsv prints it)");
        }
        if (!m.group(3).equalsIgnoreCase("Microsoft.MachineLearningServices") || !m.group(4).equalsIgnoreCase("workspaces")) {
            throw new IllegalArgumentException("'" + id + "' names a " + m.group(3) + "/" + m.group(4)
                    + ", not an Azure Machine Learning workspace (" + SHAPE + ")");
        }
        if (!GUID.matcher(m.group(1)).matches()) {
            throw new IllegalArgumentException("'" + id + "' has '" + m.group(1) + "' for its subscription, which is a "
                    + "GUID such as 00000000-1111-2222-3333-444444444444");
        }
        if (!GROUP.matcher(m.group(2)).matches()) {
            throw new IllegalArgumentException("'" + id + "' has '" + m.group(2) + "' for its resource group, which is 1 "
                    + "to 90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'");
        }
        if (!NAME.matcher(m.group(5)).matches()) {
            throw new IllegalArgumentException("'" + id + "' has '" + m.group(5) + "' for its workspace name, which is 3 "
                    + "to 33 letters, digits, '-' and '_', starting with a letter or digit");
        }
        return new AzureMlWorkspace(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(5));
    }

    /** The workspace's resource id, in ARM's own spelling. */
    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + name;
    }

    @Override
    public String toString() {
        return resourceId();
    }
}
