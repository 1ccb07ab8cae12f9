package io.cantor.rvc.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import io.cantor.rvc.audio.WavWriter.SampleFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WavRoundTripTest {

    /** Values exactly representable in {@code format}, so a round trip must be bit exact. */
    private static float[] representable(SampleFormat format, int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = Math.max(-0.99, Math.min(0.99, Math.sin(i * 0.05) * 0.8 + random.nextGaussian() * 0.05));
            x[i] = switch (format) {
                case PCM_U8 -> (float) (Math.round(v * 127) / 128.0);
                case PCM_S16 -> (float) (Math.round(v * 32767) / 32768.0);
                case PCM_S24 -> (float) (Math.round(v * 8388607) / 8388608.0);
                case PCM_S32 -> (float) (Math.round(v * 8388607) / 8388608.0); // float holds 24 bits of mantissa
                case FLOAT32, FLOAT64 -> (float) v;
            };
        }
        // Full-scale extremes must survive too.
        x[0] = -1f;
        x[1] = format == SampleFormat.PCM_U8 ? 127 / 128f : format == SampleFormat.PCM_S16 ? 32767 / 32768f
                : format == SampleFormat.PCM_S24 || format == SampleFormat.PCM_S32 ? 8388607 / 8388608f : 1f;
        return x;
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void monoRoundTripIsExact(SampleFormat format) throws Exception {
        float[] x = representable(format, 1001, format.ordinal());
        AudioClip clip = AudioDecoder.decode(WavWriter.toBytes(x, 22050, format));
        assertEquals(22050, clip.sampleRate());
        assertArrayEquals(x, clip.samples());
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void stereoIsAveragedToMonoForPlainAndExtensibleHeaders(SampleFormat format) throws Exception {
        float[] left = representable(format, 777, 1);
        float[] right = representable(format, 777, 2);
        float[] expected = new float[left.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) (((double) left[i] + right[i]) / 2);
        }
        for (boolean extensible : new boolean[] {false, true}) {
            byte[] wav = WavWriter.toBytes(new float[][] {left, right}, 48000, format, extensible);
            AudioClip clip = AudioDecoder.decode(wav);
            assertArrayEquals(expected, clip.samples(), format + " extensible=" + extensible);
            AudioInfo info = AudioProbe.probe(wav);
            assertEquals(2, info.channels());
            assertEquals(format.bits, info.bitsPerSample());
            assertEquals(777 / 48000.0, info.durationSeconds(), 1e-12);
        }
    }

    @Test
    void integerFormatsClipAndRound() throws Exception {
        float[] x = {1.5f, -1.5f, 0.5f / 32768f + 1e-6f, -0.25f};
        float[] y = AudioDecoder.decode(WavWriter.toBytes(x, 16000, SampleFormat.PCM_S16)).samples();
        assertArrayEquals(new float[] {32767 / 32768f, -1f, 1 / 32768f, -0.25f}, y);
    }

    @Test
    void writesFilesThatDecodeBack(@TempDir Path dir) throws Exception {
        float[] x = representable(SampleFormat.PCM_S16, 4000, 3);
        Path pcm = dir.resolve("a.wav");
        Path flt = dir.resolve("b.wav");
        WavWriter.writePcm16(pcm, new AudioClip(x, 40000));
        WavWriter.writeFloat32(flt, new AudioClip(x, 40000));
        assertEquals(44 + 8000, Files.size(pcm));
        assertArrayEquals(x, AudioDecoder.decode(pcm).samples());
        assertArrayEquals(x, AudioDecoder.decode(flt).samples());
        assertEquals(0.1, AudioProbe.probe(pcm).durationSeconds(), 1e-12);
    }

    @Test
    void skipsUnknownChunksAndHonoursOddPadding() throws Exception {
        float[] x = representable(SampleFormat.PCM_U8, 33, 4); // odd data size: needs a pad byte
        byte[] plain = WavWriter.toBytes(x, 8000, SampleFormat.PCM_U8);
        // Insert an odd-sized LIST chunk (with its pad byte) between "fmt " and "data".
        byte[] list = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0};
        byte[] withList = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, withList, 0, 36);
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(plain, 36, withList, 36 + list.length, plain.length - 36);
        assertArrayEquals(x, AudioDecoder.decode(withList).samples());
        assertEquals(33, AudioProbe.probe(new java.io.ByteArrayInputStream(withList)).frames());
    }

    @Test
    void streamingWritersUnknownDataSizeMeansToEndOfFile() throws Exception {
        float[] x = representable(SampleFormat.PCM_S16, 500, 5);
        byte[] wav = WavWriter.toBytes(x, 16000, SampleFormat.PCM_S16);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0xFFFFFFFF);
        assertArrayEquals(x, AudioDecoder.decode(wav).samples());
        assertEquals(-1, AudioProbe.probe(wav).frames());
        assertEquals(Double.NaN, AudioProbe.probe(wav).durationSeconds());
    }

    @Test
    void readsTwentyFourValidBitsInAThirtyTwoBitContainer() throws Exception {
        int[] values = {0x7FFFFF00, -0x80000000, 0x12345600, -0x00000100};
        ByteBuffer b = ByteBuffer.allocate(68 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(60 + 16).put("WAVEfmt ".getBytes()).putInt(40);
        b.putShort((short) 0xFFFE).putShort((short) 1).putInt(44100).putInt(44100 * 4).putShort((short) 4)
                .putShort((short) 32).putShort((short) 22).putShort((short) 24).putInt(4);
        b.putShort((short) 1).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
            (byte) 0x9B, 0x71});
        b.put("data".getBytes()).putInt(16);
        for (int v : values) {
            b.putInt(v);
        }
        AudioClip clip = AudioDecoder.decode(b.array());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i] / 2147483648.0, clip.samples()[i], 1e-9);
        }
        assertEquals(24, AudioProbe.probe(b.array()).bitsPerSample());
    }

    @Test
    void truncatedDataChunkIsReported() {
        byte[] wav = WavWriter.toBytes(new float[1000], 16000, SampleFormat.PCM_S16);
        byte[] cut = java.util.Arrays.copyOf(wav, wav.length - 10);
        UnsupportedAudioException e = assertThrows(UnsupportedAudioException.class, () -> AudioDecoder.decode(cut));
        assertEquals(Reason.TRUNCATED, e.reason());
    }

    @Test
    void nonFiniteFloatSamplesAreCorruption() {
        float[] x = {0.1f, Float.NaN, 0.2f};
        UnsupportedAudioException e = assertThrows(UnsupportedAudioException.class,
                () -> AudioDecoder.decode(WavWriter.toBytes(x, 16000, SampleFormat.FLOAT32)));
        assertEquals(Reason.CORRUPT, e.reason());
    }
}
