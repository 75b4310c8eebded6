package io.tributary.azureml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forms a definition names a component or a data input in, as ARM's job API takes them. */
class AzureMlReferencesTest {

    private static final String ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ml-prod";
    private static final AzureMlWorkspace WORKSPACE = AzureMlWorkspace.parse(ID);

    @Test
    void aComponentsShortFormBecomesItsResourceIdAndFullIdsStayAsTheyAre() {
        assertEquals(ID + "/components/train_model/versions/3",
                AzureMlReferences.component("azureml:train_model:3", WORKSPACE));
        String other = ID.replace("ml-prod", "ml-shared") + "/components/train_model/versions/3";
        assertEquals(other, AzureMlReferences.component(other, WORKSPACE), "another workspace's, as it is");
        assertEquals(other, AzureMlReferences.component("azureml:" + other, WORKSPACE), "the SDK's label form");
        String registry = "azureml://registries/azureml/components/train_model/versions/3";
        assertEquals(registry, AzureMlReferences.component(registry, WORKSPACE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"azureml:train_model@latest", "azureml:train_model", "train_model:3",
            "azureml://registries/azureml/components/train_model", "https://example.com/components/x/versions/1"})
    void aComponentWithoutAVersionOrIdIsRefused(String reference) {
        String message = assertThrows(IllegalArgumentException.class,
                () -> AzureMlReferences.component(reference, WORKSPACE)).getMessage();
        assertTrue(message.startsWith("component '" + reference + "' is neither azureml:NAME:VERSION nor a component "
                + "version's resource id"), message);
    }

    @Test
    void aDataAssetsShortFormBecomesItsVersionsResourceIdAndOtherUrisStay() {
        assertEquals(ID + "/data/orders-train/versions/7", AzureMlReferences.dataUri("azureml:orders-train:7",
                WORKSPACE));
        for (String uri : new String[] {"azureml://datastores/tributary/paths/orders/v7/",
                "abfss://lake@acct.dfs.core.windows.net/orders/v7/", "https://acct.blob.core.windows.net/c/x.csv",
                "azureml:orders-train@latest"}) {
            assertEquals(uri, AzureMlReferences.dataUri(uri, WORKSPACE));
        }
    }
}
