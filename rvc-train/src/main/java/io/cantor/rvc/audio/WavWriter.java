package io.cantor.rvc.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes WAV files. RVC itself writes its training slices as 32-bit float WAV
 * ({@code wavfile.write(..., tmp_audio.astype(np.float32))}); 16-bit PCM is the compact choice for
 * anything a person will listen to. Integer formats round to nearest and clip to full scale.
 */
public final class WavWriter {

    /** Sample encodings; integer full scale matches the decoder's (value / 2^(bits-1)). */
    public enum SampleFormat {
        PCM_U8(1, 8), PCM_S16(1, 16), PCM_S24(1, 24), PCM_S32(1, 32), FLOAT32(3, 32), FLOAT64(3, 64);

        final int formatTag;
        final int bits;

        SampleFormat(int formatTag, int bits) {
            this.formatTag = formatTag;
            this.bits = bits;
        }

        int bytes() {
            return bits / 8;
        }
    }

    private WavWriter() {
    }

    public static void writePcm16(Path file, AudioClip clip) throws IOException {
        write(file, clip.samples(), clip.sampleRate(), SampleFormat.PCM_S16);
    }

    public static void writeFloat32(Path file, AudioClip clip) throws IOException {
        write(file, clip.samples(), clip.sampleRate(), SampleFormat.FLOAT32);
    }

    public static void write(Path file, float[] mono, int sampleRate, SampleFormat format) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, new float[][] {mono}, sampleRate, format, false);
        }
    }

    public static byte[] toBytes(float[] mono, int sampleRate, SampleFormat format) {
        return toBytes(new float[][] {mono}, sampleRate, format, false);
    }

    /** Encodes channels (all the same length) into a complete WAV file in memory. */
    public static byte[] toBytes(float[][] channels, int sampleRate, SampleFormat format, boolean extensible) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(out, channels, sampleRate, format, extensible);
        } catch (IOException e) {
            throw new IllegalStateException("ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a WAV stream; the stream is not closed.
     *
     * @param extensible write a WAVE_FORMAT_EXTENSIBLE header (what many tools emit for >16 bits or >2 channels)
     */
    public static void write(OutputStream out, float[][] channels, int sampleRate, SampleFormat format,
                             boolean extensible) throws IOException {
        int nch = channels.length;
        if (nch < 1 || nch > 64) {
            throw new IllegalArgumentException("channel count must be 1..64: " + nch);
        }
        int frames = channels[0].length;
        for (float[] ch : channels) {
            if (ch.length != frames) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        int blockAlign = nch * format.bytes();
        long dataBytes = (long) frames * blockAlign;
        int fmtSize = extensible ? 40 : format.formatTag == 3 ? 18 : 16;
        long riffSize = 4 + (8 + fmtSize) + (8 + dataBytes + (dataBytes & 1));
        if (riffSize > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("audio too long for a WAV file: " + dataBytes + " data bytes");
        }
        ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtSize + 8).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(fmtSize);
        h.putShort((short) (extensible ? WavHeader.WAVE_FORMAT_EXTENSIBLE : format.formatTag));
        h.putShort((short) nch).putInt(sampleRate).putInt(sampleRate * blockAlign);
        h.putShort((short) blockAlign).putShort((short) format.bits);
        if (extensible) {
            h.putShort((short) 22).putShort((short) format.bits).putInt(0); // cbSize, valid bits, no speaker mask
            h.putShort((short) format.formatTag).put(new byte[] {
                0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00,
                0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        } else if (fmtSize == 18) {
            h.putShort((short) 0);
        }
        h.put(ascii("data")).putInt((int) dataBytes);
        out.write(h.array(), 0, h.position());

        ByteBuffer body = ByteBuffer.allocate(Math.max(blockAlign, 1 << 16) / blockAlign * blockAlign)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            if (body.remaining() < blockAlign) {
                out.write(body.array(), 0, body.position());
                body.clear();
            }
            for (float[] ch : channels) {
                putSample(body, ch[f], format);
            }
        }
        out.write(body.array(), 0, body.position());
        if ((dataBytes & 1) != 0) {
            out.write(0);
        }
        out.flush();
    }

    private static void putSample(ByteBuffer b, float x, SampleFormat format) {
        switch (format) {
            case PCM_U8 -> b.put((byte) (quantize(x, 8) + 128));
            case PCM_S16 -> b.putShort((short) quantize(x, 16));
            case PCM_S24 -> {
                int v = (int) quantize(x, 24);
                b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
            }
            case PCM_S32 -> b.putInt((int) quantize(x, 32));
            case FLOAT32 -> b.putFloat(x);
            case FLOAT64 -> b.putDouble(x);
        }
    }

    /** Rounds {@code x * 2^(bits-1)} to nearest and clips to the signed range. */
    private static long quantize(float x, int bits) {
        double full = (double) (1L << (bits - 1));
        double v = Math.rint(x * full);
        if (v >= full) {
            return (long) full - 1;
        }
        if (v < -full) {
            return (long) -full;
        }
        return (long) v; // NaN becomes 0
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
