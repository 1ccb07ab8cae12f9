package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes RIFF/WAVE PCM (8/16/24/32-bit) and IEEE float (32/64-bit) to mono float. */
final class WavDecoder {

    private WavDecoder() {
    }

    static AudioClip decode(ByteBuffer file) throws IOException {
        WavHeader h = WavHeader.read(HeaderSource.of(file));
        long available = file.remaining() - h.dataOffset();
        long dataSize = h.dataSize() < 0 ? available : h.dataSize();
        if (dataSize > available) {
            throw new UnsupportedAudioException(Reason.TRUNCATED, "WAV 'data' chunk declares " + dataSize
                    + " bytes but only " + available + " follow");
        }
        long frames = dataSize / h.blockAlign();
        if (frames == 0) {
            throw new UnsupportedAudioException(Reason.EMPTY, "WAV file contains no samples");
        }
        if (frames > Integer.MAX_VALUE - 8) {
            throw new UnsupportedAudioException(Reason.TOO_LARGE, "WAV file has " + frames + " frames");
        }
        ByteBuffer data = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = file.position() + (int) h.dataOffset();
        float[] out = new float[(int) frames];
        if (h.floatingPoint()) {
            readFloat(data, base, h, out);
        } else {
            readPcm(data, base, h, out);
        }
        return new AudioClip(out, h.sampleRate());
    }

    private static void readPcm(ByteBuffer data, int base, WavHeader h, float[] out) {
        int channels = h.channels();
        int bytes = h.bytesPerSample();
        int stride = h.blockAlign();
        // Full-scale of the container: samples are MSB-aligned, so the valid-bit count does not matter.
        double scale = 1.0 / ((1L << (8 * bytes - 1)) * (double) channels);
        for (int f = 0, pos = base; f < out.length; f++, pos += stride) {
            long sum = 0;
            int p = pos;
            switch (bytes) {
                case 1 -> {
                    for (int c = 0; c < channels; c++, p++) {
                        sum += (data.get(p) & 0xFF) - 128; // 8-bit WAV is unsigned
                    }
                }
                case 2 -> {
                    for (int c = 0; c < channels; c++, p += 2) {
                        sum += data.getShort(p);
                    }
                }
                case 3 -> {
                    for (int c = 0; c < channels; c++, p += 3) {
                        sum += (data.get(p) & 0xFF) | (data.get(p + 1) & 0xFF) << 8 | data.get(p + 2) << 16;
                    }
                }
                default -> {
                    for (int c = 0; c < channels; c++, p += 4) {
                        sum += data.getInt(p);
                    }
                }
            }
            out[f] = (float) (sum * scale);
        }
    }

    private static void readFloat(ByteBuffer data, int base, WavHeader h, float[] out)
            throws UnsupportedAudioException {
        int channels = h.channels();
        int stride = h.blockAlign();
        boolean doubles = h.bytesPerSample() == 8;
        for (int f = 0, pos = base; f < out.length; f++, pos += stride) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += doubles ? data.getDouble(pos + 8 * c) : data.getFloat(pos + 4 * c);
            }
            float v = (float) (sum / channels);
            if (!Float.isFinite(v)) {
                // NaN/Inf would silently poison every later stage; a float WAV holding them is broken.
                throw new UnsupportedAudioException(Reason.CORRUPT, "WAV float sample " + f + " is not finite");
            }
            out[f] = v;
        }
    }
}
