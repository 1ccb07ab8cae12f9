package io.cantor.model.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the first bytes of a file say about its audio, read without decoding: enough for the
 * scheduler to refuse what is not audio (or not a format the agents decode) at upload time.
 *
 * @param format  {@code wav} or {@code flac}
 * @param seconds duration, from the header's sample counts
 */
public record AudioHeader(String format, int sampleRate, int channels, int bitsPerSample, double seconds) {

    /** Bytes of a file's head that {@link #read} needs at most. */
    public static final int HEAD_BYTES = 64 * 1024;

    /**
     * Parses WAV (RIFF, PCM or IEEE float, also WAVE_FORMAT_EXTENSIBLE) and FLAC (STREAMINFO)
     * headers from the first bytes of a file of {@code fileSize} bytes.
     *
     * @throws NotAudioException when the bytes are not one of those formats or are inconsistent
     */
    public static AudioHeader read(byte[] head, long fileSize) throws NotAudioException {
        if (head.length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WAVE")) {
            return wav(head, fileSize);
        }
        if (head.length >= 4 && ascii(head, 0, 4).equals("fLaC")) {
            return flac(head);
        }
        throw new NotAudioException("not a WAV or FLAC file");
    }

    private static AudioHeader wav(byte[] head, long fileSize) throws NotAudioException {
        ByteBuffer buf = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        boolean fmt = false;
        while (pos + 8 <= head.length) {
            String id = ascii(head, pos, 4);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > head.length) {
                    throw new NotAudioException("WAV fmt chunk is truncated");
                }
                int tag = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2) & 0xffff;
                rate = buf.getInt(body + 4);
                blockAlign = buf.getShort(body + 12) & 0xffff;
                bits = buf.getShort(body + 14) & 0xffff;
                if (tag == 0xFFFE && size >= 40 && body + 26 <= head.length) {
                    tag = buf.getShort(body + 24) & 0xffff; // sub-format GUID starts with the real tag
                }
                if (tag != 1 && tag != 3) {
                    throw new NotAudioException("WAV encoding " + tag + " is not PCM or IEEE float");
                }
                fmt = true;
            } else if (id.equals("data")) {
                if (!fmt) {
                    throw new NotAudioException("WAV data chunk comes before its fmt chunk");
                }
                if (channels < 1 || channels > 64 || rate < 1000 || rate > 768_000 || blockAlign < 1
                        || (bits != 8 && bits != 16 && bits != 24 && bits != 32 && bits != 64)) {
                    throw new NotAudioException("WAV header is inconsistent");
                }
                long available = Math.max(0, fileSize - body);
                long dataBytes = size == 0 || size == 0xFFFFFFFFL ? available : Math.min(size, available);
                return new AudioHeader("wav", rate, channels, bits, (double) (dataBytes / blockAlign) / rate);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new NotAudioException("WAV file has no data chunk in its first " + head.length + " bytes");
    }

    private static AudioHeader flac(byte[] head) throws NotAudioException {
        // fLaC, then a metadata block header (1 byte type, 3 bytes length) and STREAMINFO (34 bytes).
        if (head.length < 8 + 34 || (head[4] & 0x7f) != 0) {
            throw new NotAudioException("FLAC file lacks its STREAMINFO block");
        }
        int s = 8;
        long packed = 0;
        for (int i = 10; i < 18; i++) {
            packed = (packed << 8) | (head[s + i] & 0xff);
        }
        int rate = (int) (packed >>> 44);
        int channels = (int) ((packed >>> 41) & 0x7) + 1;
        int bits = (int) ((packed >>> 36) & 0x1f) + 1;
        long samples = packed & 0xFFFFFFFFFL;
        if (rate < 1000 || rate > 655_350) {
            throw new NotAudioException("FLAC sample rate " + rate + " is out of range");
        }
        return new AudioHeader("flac", rate, channels, bits, (double) samples / rate);
    }

    private static String ascii(byte[] b, int from, int len) {
        return new String(b, from, len, StandardCharsets.US_ASCII);
    }

    /** The bytes are not audio that Cantor can train on. */
    public static final class NotAudioException extends Exception {
        public NotAudioException(String message) {
            super(message);
        }
    }
}
