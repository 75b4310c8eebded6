package io.tributary.port;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One version of a data asset as it is to be registered: an {@code MLTable} folder, named and numbered.
 *
 * @param name        the asset's name: a letter or digit, then letters, digits, {@code -} and {@code _}, at most 255
 *                    characters (what Azure Machine Learning allows)
 * @param version     the version, such as the table version of the commit ({@code 7}): a letter or digit, then
 *                    letters, digits, {@code .}, {@code -} and {@code _}
 * @param dataUri     the folder holding the {@code MLTable} file: {@code azureml://datastores/{datastore}/paths/{path}/}
 *                    or {@code https://{account}.blob.core.windows.net/{container}/{path}/}
 * @param description what the version is, for people; may be empty
 * @param tags        what identifies the commit (its run, its table version…), compared when the version is already
 *                    registered; kept in name order
 */
public record DataAssetVersion(String name, String version, URI dataUri, String description,
                               Map<String, String> tags) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");

    public DataAssetVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(dataUri, "dataUri");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a data asset's name is a letter or digit, then letters, digits, '-' "
                    + "and '_', at most 255 characters, such as orders-train; not '" + name + "'");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("a data asset's version is a letter or digit, then letters, digits, "
                    + "'.', '-' and '_', such as 7; not '" + version + "'");
        }
        String scheme = dataUri.getScheme();
        if (!("azureml".equals(scheme) || "https".equals(scheme)) || dataUri.getRawAuthority() == null) {
            throw new IllegalArgumentException("a data asset's data URI is azureml://datastores/{datastore}/paths/"
                    + "{path}/ or https://{account}.blob.core.windows.net/{container}/{path}/; not '" + dataUri + "'");
        }
        description = description == null ? "" : description;
        Map<String, String> sorted = new TreeMap<>();
        Objects.requireNonNull(tags, "tags").forEach((key, value) -> sorted.put(Objects.requireNonNull(key, "tag name"),
                Objects.requireNonNull(value, () -> "the value of tag " + key)));
        tags = Collections.unmodifiableMap(sorted);
    }

    /** {@code name:version}, as Azure Machine Learning writes a data asset version. */
    public String label() {
        return name + ":" + version;
    }
}
