package io.cantor.rvc.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cantor.rvc.audio.FlacTestEncoder.Frame;
import io.cantor.rvc.audio.FlacTestEncoder.Sub;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlacDecoderTest {

    /** Files made with sox 14.4 (libFLAC); checksums are md5sum of {@code sox f.flac -t raw -e signed -b <bits>}. */
    @Test
    void decodesFilesFromARealEncoderBitExactly() throws Exception {
        checkFixture("mono16_16k.flac", 16000, 1, 16, 6400, "4b7fc26816a26903541c7ca0cbbee5dc");
        checkFixture("stereo24_44k.flac", 44100, 2, 24, 6615, "ab64909f5d85916ddd28cdf0de4d84ee");
        checkFixture("mono8_8k.flac", 8000, 1, 8, 4000, "079c7e4be8335a96f8c0904c343e7e52");
        checkFixture("stereo16_22k_c8.flac", 22050, 2, 16, 5512, "c559f9856a689425e37024e836c2caa7");
    }

    private void checkFixture(String name, int rate, int channels, int bits, int frames, String md5) throws Exception {
        byte[] file = resource(name);
        int[][] pcm = FlacDecoder.decodeChannels(ByteBuffer.wrap(file), true);
        assertEquals(channels, pcm.length, name);
        assertEquals(frames, pcm[0].length, name);
        assertEquals(md5, HexFormat.of().formatHex(pcmMd5(pcm, bits)), name);

        AudioClip clip = AudioDecoder.decode(file);
        assertEquals(rate, clip.sampleRate());
        assertEquals(frames, clip.length());
        double full = 1 << (bits - 1);
        for (int i = 0; i < frames; i += 97) {
            double expected = 0;
            for (int[] ch : pcm) {
                expected += ch[i] / full;
            }
            assertEquals(expected / channels, clip.samples()[i], 1e-7, name + " mono mix at " + i);
        }
        AudioInfo info = AudioProbe.probe(java.util.Arrays.copyOf(file, 64));
        assertEquals(AudioInfo.Container.FLAC, info.container());
        assertEquals(rate, info.sampleRate());
        assertEquals(channels, info.channels());
        assertEquals(bits, info.bitsPerSample());
        assertEquals(frames / (double) rate, info.durationSeconds(), 1e-12);
    }

    @Test
    void decodesEverySubframeTypeAndResidualCoding() throws Exception {
        int n = 15360;
        int[][] x = {signal(n, 16, 1)};
        // Block 2 is constant, block 3 is a multiple of 8 (wasted bits).
        java.util.Arrays.fill(x[0], 4096, 8192, -1234);
        for (int i = 8192; i < 12288; i++) {
            x[0][i] &= ~7;
        }
        List<Frame> frames = new ArrayList<>();
        frames.add(new Frame(1024, 0, -1, Sub.verbatim()));
        frames.add(new Frame(1024, 0, -1, Sub.fixed(0, 0, 0, false)));
        frames.add(new Frame(1024, 0, -1, Sub.fixed(1, 0, 2, false)));
        frames.add(new Frame(1024, 0, -1, Sub.fixed(2, 1, 3, true)));
        frames.add(new Frame(2048, 0, -1, Sub.constant()));
        frames.add(new Frame(2048, 0, -1, Sub.constant().wasted(1)));
        frames.add(new Frame(1024, 0, -1, Sub.fixed(3, 0, 4, false).wasted(3)));
        frames.add(new Frame(1024, 0, -1, Sub.lpc(new int[] {900, -400}, 12, 9, 0, 1, false).wasted(2)));
        frames.add(new Frame(1024, 0, -1, Sub.fixed(4, 1, 0, false)));
        frames.add(new Frame(1024, 0, -1, Sub.verbatim().wasted(3)));
        frames.add(new Frame(512, 0, -1, Sub.lpc(new int[] {1}, 2, 0, 0, 0, true)));
        frames.add(new Frame(512, 0, -1, Sub.lpc(lpc8(), 15, 14, 1, 2, true)));
        frames.add(new Frame(1024, 0, -1, Sub.lpc(lpc32(), 12, 11, 0, 3, false)));
        frames.add(new Frame(1024, 0, -1, Sub.lpc(new int[] {16000, -7000, 1000}, 15, 13, 1, 5, false)));
        assertRoundTrip(new FlacTestEncoder(16000, 1, 16, false), x, frames);
    }

    @Test
    void decodesEveryStereoDecorrelationMode() throws Exception {
        for (int bits : new int[] {8, 16, 24}) {
            int n = 4 * 1152;
            int[][] x = {signal(n, bits, 2), signal(n, bits, 3)};
            // Extreme values stress the extra side-channel bit: full-scale opposite polarity.
            x[0][5] = (1 << (bits - 1)) - 1;
            x[1][5] = -(1 << (bits - 1));
            x[0][1200] = -(1 << (bits - 1));
            x[1][1200] = (1 << (bits - 1)) - 1;
            Sub a = Sub.fixed(2, 0, 1, false);
            Sub b = Sub.lpc(new int[] {1500, -600}, 12, 10, 1, 2, bits == 24);
            List<Frame> frames = List.of(
                    new Frame(1152, 0, -1, a, b),
                    new Frame(1152, 8, -1, b, a),
                    new Frame(1152, 9, -1, Sub.verbatim(), b),
                    new Frame(1152, 10, -1, a, Sub.verbatim()));
            assertRoundTrip(new FlacTestEncoder(44100, 2, bits, false), x, frames);
        }
    }

    @Test
    void decodesBitDepthsFrom8To24() throws Exception {
        for (int bits : new int[] {8, 12, 16, 20, 24}) {
            int n = 3000;
            int[][] x = {signal(n, bits, bits)};
            List<Frame> frames = List.of(
                    new Frame(1000, 0, -1, Sub.fixed(2, 0, 3, false)),
                    new Frame(1000, 0, -1, Sub.lpc(new int[] {1800, -900}, 12, 10, 1, 0, false)),
                    new Frame(1000, 0, -1, Sub.verbatim()));
            assertRoundTrip(new FlacTestEncoder(48000, 1, bits, false), x, frames);
        }
    }

    @Test
    void decodesVariableBlockSizesAndExplicitHeaderFields() throws Exception {
        int[] sizes = {192, 576, 1152, 2304, 4608, 256, 512, 100, 300, 16, 4096, 8192, 1000};
        int[] rateCodes = {-1, 12, 13, 14, 0};
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        int[][] x = {signal(n, 16, 7), signal(n, 16, 8), signal(n, 16, 9)};
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Sub s = i % 2 == 0 ? Sub.fixed(1, 0, 0, false) : Sub.verbatim();
            frames.add(new Frame(sizes[i], 0, rateCodes[i % rateCodes.length], s, s, Sub.fixed(0, 1, 0, true)));
        }
        // Sample numbers above 127 exercise multi-byte UTF-8 frame numbers.
        assertRoundTrip(new FlacTestEncoder(32000, 3, 16, true), x, frames);
    }

    @Test
    void truncatedStreamsAlwaysThrowAndNeverHang() throws Exception {
        byte[] file = smallStream();
        int[][] full = FlacDecoder.decodeChannels(ByteBuffer.wrap(file), true);
        assertEquals(1500, full[0].length);
        for (int len = 0; len < file.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(file, len);
            UnsupportedAudioException e = assertThrows(UnsupportedAudioException.class,
                    () -> AudioDecoder.decode(cut), "truncated to " + len);
            assertTrue(len < 4 || e.reason() == UnsupportedAudioException.Reason.TRUNCATED
                    || e.reason() == UnsupportedAudioException.Reason.EMPTY, len + ": " + e.getMessage());
        }
    }

    @Test
    void flippedBitsAreDetectedOrHarmless() throws Exception {
        byte[] file = smallStream();
        int[][] expected = FlacDecoder.decodeChannels(ByteBuffer.wrap(file), true);
        Random random = new Random(42);
        int detected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = file.clone();
            int bit = random.nextInt(bad.length * 8);
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                int[][] got = FlacDecoder.decodeChannels(ByteBuffer.wrap(bad), true);
                // Only bits the decoder ignores (frame-size hints, comment bytes) may change nothing.
                assertArrayEquals(expected, got, "flip of bit " + bit + " went undetected");
            } catch (UnsupportedAudioException e) {
                detected++;
            }
        }
        assertTrue(detected > 350, "detected " + detected);
    }

    @Test
    void randomBytesAfterTheSignatureAreRejected() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            System.arraycopy(new byte[] {'f', 'L', 'a', 'C'}, 0, junk, 0, Math.min(4, junk.length));
            assertThrows(UnsupportedAudioException.class, () -> AudioDecoder.decode(junk));
        }
    }

    private static byte[] smallStream() throws Exception {
        int[][] x = {signal(1500, 16, 11), signal(1500, 16, 12)};
        List<Frame> frames = List.of(
                new Frame(500, 10, -1, Sub.fixed(2, 0, 2, false), Sub.lpc(new int[] {700, -200}, 11, 9, 0, 1, true)),
                new Frame(500, 8, -1, Sub.verbatim(), Sub.fixed(1, 1, 0, false)),
                new Frame(500, 0, -1, Sub.lpc(new int[] {1200, -500, 40}, 12, 10, 0, 2, false), Sub.verbatim()));
        return new FlacTestEncoder(16000, 2, 16, false).encode(x, frames);
    }

    private static void assertRoundTrip(FlacTestEncoder encoder, int[][] x, List<Frame> frames) throws Exception {
        byte[] file = encoder.encode(x, frames);
        int[][] decoded = FlacDecoder.decodeChannels(ByteBuffer.wrap(file), true);
        assertEquals(x.length, decoded.length);
        for (int c = 0; c < x.length; c++) {
            assertArrayEquals(x[c], decoded[c], "channel " + c);
        }
    }

    /** A sine plus noise at the given bit depth, deterministic per seed. */
    static int[] signal(int n, int bits, long seed) {
        Random random = new Random(seed);
        double full = (1 << (bits - 1)) - 1;
        double f = 0.01 + 0.03 * random.nextDouble();
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            double v = 0.6 * Math.sin(2 * Math.PI * f * i) + 0.2 * Math.sin(2 * Math.PI * 3.1 * f * i)
                    + 0.05 * random.nextGaussian();
            x[i] = (int) Math.max(-full, Math.min(full, Math.round(v * full)));
        }
        return x;
    }

    private static int[] lpc8() {
        return new int[] {9000, -4000, 1000, 300, -200, 100, -50, 20};
    }

    private static int[] lpc32() {
        int[] c = new int[32];
        c[0] = 1400;
        c[1] = -500;
        for (int i = 2; i < 32; i++) {
            c[i] = (i % 2 == 0 ? 1 : -1) * (40 - i);
        }
        return c;
    }

    static byte[] pcmMd5(int[][] pcm, int bits) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        int bytes = (bits + 7) / 8;
        byte[] buf = new byte[bytes];
        for (int i = 0; i < pcm[0].length; i++) {
            for (int[] ch : pcm) {
                for (int j = 0; j < bytes; j++) {
                    buf[j] = (byte) (ch[i] >> (8 * j));
                }
                md.update(buf);
            }
        }
        return md.digest();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = FlacDecoderTest.class.getResourceAsStream(name)) {
            if (in == null) {
                fail("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
