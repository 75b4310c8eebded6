package io.tributary.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageMessageTest {

    private static final RunId RUN = RunId.parse("20261122T054007Z-0123456789");

    @Test
    void messagesRoundTripThroughCompactJson() {
        TransformMessage message = new TransformMessage(TransformMessage.VERSION, RUN, "orders",
                new BlobRef("landing", "orders/a.csv", "0x1"), 2, 3, 5000, 1234, List.of(), 18, 240, 3);
        String json = Json.compact(message);
        assertEquals("{\"version\":1,\"runId\":\"" + RUN + "\",\"pipeline\":\"orders\",\"source\":{\"container\":"
                + "\"landing\",\"name\":\"orders/a.csv\",\"etag\":\"0x1\"},\"chunk\":2,\"chunks\":3,\"offset\":5000,"
                + "\"length\":1234,\"references\":[],\"header\":18,\"lineOffset\":240,\"buckets\":3}", json);
        assertEquals(message, Json.message(json, TransformMessage.class));
        CombineMessage combine = new CombineMessage(RUN, "orders", 1, 3, 3, List.of());
        assertEquals(combine, Json.message(Json.compact(combine), CombineMessage.class));
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
