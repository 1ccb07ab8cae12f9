package io.cantor.rvc.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import io.cantor.rvc.audio.WavWriter.SampleFormat;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the server relies on: anything that is not decodable audio fails fast with a clear reason. */
class AudioInputValidationTest {

    private static Reason decodeFailure(byte[] bytes) {
        return assertThrows(UnsupportedAudioException.class, () -> AudioDecoder.decode(bytes)).reason();
    }

    private static Reason probeFailure(byte[] bytes) {
        return assertThrows(UnsupportedAudioException.class, () -> AudioProbe.probe(bytes)).reason();
    }

    @Test
    void emptyInputIsEmpty() {
        assertEquals(Reason.EMPTY, decodeFailure(new byte[0]));
        assertEquals(Reason.EMPTY, probeFailure(new byte[0]));
        assertEquals(Reason.EMPTY, decodeFailure(WavWriter.toBytes(new float[0], 16000, SampleFormat.PCM_S16)));
    }

    @Test
    void otherFormatsAreNamed() {
        byte[] mp3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 2, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
        UnsupportedAudioException e = assertThrows(UnsupportedAudioException.class, () -> AudioProbe.probe(mp3));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("MP3"), e.getMessage());
        assertEquals(Reason.UNSUPPORTED_FORMAT, decodeFailure(mp3));
        assertEquals(Reason.UNSUPPORTED_FORMAT, probeFailure(ascii("OggS\0\2\0\0\0\0\0\0\0\0")));
        assertEquals(Reason.UNSUPPORTED_FORMAT, probeFailure(ascii("FORM\0\0\0\0AIFFCOMM")));
        assertEquals(Reason.UNSUPPORTED_FORMAT, probeFailure(ascii("\0\0\0\u0020ftypM4A ")));
        assertEquals(Reason.NOT_AUDIO, probeFailure(ascii("RIFF\0\0\0\0AVI LIST")));
        assertEquals(Reason.NOT_AUDIO, probeFailure(ascii("<!DOCTYPE html><html>")));
        assertEquals(Reason.NOT_AUDIO, probeFailure(ascii("%PDF-1.7\n")));
    }

    @Test
    void unsupportedWavEncodingsAreNamed() {
        byte[] wav = WavWriter.toBytes(new float[100], 16000, SampleFormat.PCM_S16);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 0x0055); // MPEG Layer 3 in WAV
        assertEquals(Reason.UNSUPPORTED_ENCODING, decodeFailure(wav));
        assertEquals(Reason.UNSUPPORTED_ENCODING, probeFailure(wav));
    }

    @Test
    void liesInHeadersDoNotAllocate() {
        byte[] wav = WavWriter.toBytes(new float[100], 16000, SampleFormat.PCM_S16);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0x7FFFFFF0);
        assertEquals(Reason.TRUNCATED, decodeFailure(wav));
        byte[] noData = Arrays.copyOf(wav, 36);
        assertEquals(Reason.TRUNCATED, decodeFailure(noData));
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0); // sample rate 0
        assertEquals(Reason.CORRUPT, probeFailure(wav));
    }

    @Test
    void randomBytesAndCorruptedWavesFailFast() {
        Random random = new Random(1234);
        byte[] good = WavWriter.toBytes(new float[2000], 16000, SampleFormat.PCM_S24);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int trial = 0; trial < 2000; trial++) {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                if (trial % 2 == 1) {
                    // Keep a valid-looking RIFF/WAVE start so the chunk walker sees garbage sizes.
                    byte[] head = Arrays.copyOf(good, Math.min(good.length, 12 + random.nextInt(40)));
                    junk = Arrays.copyOf(head, head.length + junk.length);
                    random.nextBytes(junk);
                    System.arraycopy(good, 0, junk, 0, 12);
                }
                byte[] input = junk;
                try {
                    AudioDecoder.decode(input);
                } catch (UnsupportedAudioException expected) {
                    // the only acceptable failure
                }
                try {
                    AudioProbe.probe(input);
                } catch (UnsupportedAudioException expected) {
                    // the only acceptable failure
                }
            }
        });
        for (int len = 0; len < 44; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            decodeFailure(cut);
        }
    }

    @Test
    void probeReadsOnlyTheHeader() throws IOException {
        byte[] wav = WavWriter.toBytes(new float[200_000], 44100, SampleFormat.PCM_S16);
        int[] read = {0};
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(wav)) {
            @Override
            public int read() throws IOException {
                read[0]++;
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
        AudioInfo info = AudioProbe.probe(counting);
        assertEquals(200_000, info.frames());
        assertEquals(200_000 / 44100.0, info.durationSeconds(), 1e-12);
        assertTrue(read[0] <= 64, "read " + read[0] + " bytes");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
