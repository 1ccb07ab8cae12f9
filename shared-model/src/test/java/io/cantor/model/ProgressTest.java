package io.cantor.model;

import io.cantor.model.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProgressTest {

    @Test
    void aNonFiniteLossOrRateBecomesValidJson() {
        Progress diverged = new Progress("train", 31, 40, 31, 40, Double.NaN, Double.POSITIVE_INFINITY, 12);
        assertNull(diverged.loss());
        assertEquals(0.0, diverged.samplesPerSecond());
        assertEquals("{\"stage\":\"train\",\"epoch\":31,\"epochs\":40,\"step\":31,\"steps\":40,"
                + "\"samplesPerSecond\":0.0,\"etaSeconds\":12}", Json.write(diverged));
    }

    @Test
    void finiteFiguresStayAsTheyAre() {
        Progress p = new Progress("train", 3, 40, 3, 40, 97.5, 12.25, 30);
        assertEquals(97.5, p.loss());
        assertEquals(12.25, p.samplesPerSecond());
    }
}
