package io.cantor.model.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsoInstantsTest {

    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(min, max + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(instant.toString(), IsoInstants.format(instant));
        }
    }

    @Test
    void edgesAndYearsBeyondFourDigits() {
        for (String text : new String[]{"1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999Z", "1969-12-31T23:59:59.000000001Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-25T12:00:00.120Z"}) {
            assertEquals(text, IsoInstants.format(Instant.parse(text)));
        }
        assertEquals(Instant.MAX.toString(), IsoInstants.format(Instant.MAX));
        assertEquals(Instant.MIN.toString(), IsoInstants.format(Instant.MIN));
        assertEquals("\"2026-11-25T12:00:00.120Z\"", Json.write(Instant.parse("2026-11-25T12:00:00.12Z")));
    }
}
