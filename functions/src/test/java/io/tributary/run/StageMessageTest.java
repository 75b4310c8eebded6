package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageMessageTest {

    private static final String RUN = "20261122T054007Z-0123456789";

    @Test
    void messagesRoundTripThroughCompactJson() {
        TransformMessage message = new TransformMessage(RUN, "orders", new BlobRef("landing", "orders/a.csv", "0x1"),
                0, 1, 0, 1234, List.of());
        String json = Json.compact(message);
        assertEquals("{\"version\":1,\"runId\":\"" + RUN + "\",\"pipeline\":\"orders\",\"source\":{\"container\":"
                + "\"landing\",\"name\":\"orders/a.csv\",\"etag\":\"0x1\"},\"chunk\":0,\"chunks\":1,\"offset\":0,"
                + "\"length\":1234,\"references\":[]}", json);
        assertEquals(message, Json.message(json, TransformMessage.class));
    }

    @Test
    void aMessageOfAnotherVersionIsRefusedWithTheReason() {
        String json = "{\"version\":2,\"runId\":\"" + RUN + "\",\"pipeline\":\"orders\",\"chunks\":1}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.message(json, StoreMessage.class));
        assertTrue(e.getMessage().contains("message version 2 is not supported"), e.getMessage());
    }

    @Test
    void garbageIsRefusedNamingTheMessageType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.message("not json", ExtractMessage.class));
        assertTrue(e.getMessage().startsWith("not a valid ExtractMessage"), e.getMessage());
    }
}
