package io.tributary.azureml;

import io.tributary.port.DataAssetVersion;
import io.tributary.run.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code DataVersions_CreateOrUpdate} for an {@code MLTable} folder:
 * {@code {"properties": {"dataType": "mltable", "dataUri": …, "description": …, "tags": {…}, "isAnonymous": false}}}.
 */
final class DataVersionBody {

    /** The data type of a folder that holds an {@code MLTable} file. */
    static final String MLTABLE = "mltable";

    private DataVersionBody() {
    }

    static String of(DataAssetVersion asset) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("dataType", MLTABLE);
        properties.put("dataUri", asset.dataUri().toString());
        properties.put("description", asset.description());
        properties.put("tags", asset.tags());
        // A named version, not one the service names for itself.
        properties.put("isAnonymous", false);
        return Json.compact(Map.of("properties", properties));
    }
}
