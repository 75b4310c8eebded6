package io.tributary.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A data asset version is refused, saying why, unless its name, version and data URI are ones a workspace takes. */
class DataAssetVersionTest {

    private static final URI DATA = URI.create("azureml://datastores/tributary_training/paths/orders/train/v0/");

    private static String refusal(String name, String version, URI data) {
        return assertThrows(IllegalArgumentException.class,
                () -> new DataAssetVersion(name, version, data, "", Map.of())).getMessage();
    }

    @Test
    void aVersionKeepsItsTagsInNameOrderAndAnEmptyDescriptionForNone() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("z", "1");
        tags.put("a", "2");
        DataAssetVersion version = new DataAssetVersion("orders-train", "0", DATA, null, tags);
        assertEquals(List.of(List.of("a", "z"), "", "orders-train:0"),
                List.of(List.copyOf(version.tags().keySet()), version.description(), version.label()));
        new DataAssetVersion("orders_train", "1.2.3-rc_1", URI.create("https://acct.blob.core.windows.net/training/o/"),
                "", Map.of());
    }

    @Test
    void namesVersionsAndDataUrisAWorkspaceWouldRefuseAreRefusedHere() {
        assertEquals("a data asset's name is a letter or digit, then letters, digits, '-' and '_', at most 255 "
                + "characters, such as orders-train; not 'orders/train'", refusal("orders/train", "1", DATA));
        assertEquals("a data asset's name is a letter or digit, then letters, digits, '-' and '_', at most 255 "
                + "characters, such as orders-train; not '-orders'", refusal("-orders", "1", DATA));
        assertEquals("a data asset's version is a letter or digit, then letters, digits, '.', '-' and '_', such as 7; "
                + "not '7/8'", refusal("orders", "7/8", DATA));
        assertEquals("a data asset's version is a letter or digit, then letters, digits, '.', '-' and '_', such as 7; "
                + "not ''", refusal("orders", "", DATA));
        assertEquals("a data asset's data URI is azureml://datastores/{datastore}/paths/{path}/ or "
                + "https://{account}.blob.core.windows.net/{container}/{path}/; not 'http://acct.blob.core.windows.net/t/'",
                refusal("orders", "1", URI.create("http://acct.blob.core.windows.net/t/")));
    }
}
