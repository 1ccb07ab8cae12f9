package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.IOException;

/**
 * The parts of a RIFF/WAVE header needed to read its samples: the "fmt " chunk and where the
 * "data" chunk lies. Chunks are walked in order, skipping unknown ones (LIST, fact, bext, ...).
 */
record WavHeader(boolean floatingPoint, int channels, int sampleRate, int validBits,
                 int bytesPerSample, int blockAlign, boolean extensible,
                 long dataOffset, long dataSize) {

    static final int WAVE_FORMAT_PCM = 0x0001;
    static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    /** Size sentinel written by streaming writers that could not seek back to patch the header. */
    static final long UNKNOWN_SIZE = 0xFFFFFFFFL;
    private static final int MAX_FMT_CHUNK = 1 << 16;
    /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs for PCM and IEEE float. */
    private static final byte[] SUBTYPE_GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00,
        0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    /** Frames in the data chunk, or -1 when the header leaves the length open. */
    long frames() {
        return dataSize < 0 ? -1 : dataSize / blockAlign;
    }

    String encoding() {
        return (floatingPoint ? "IEEE float " : "PCM ") + validBits + "-bit"
                + (extensible ? " (extensible)" : "");
    }

    AudioInfo info() {
        return AudioInfo.of(AudioInfo.Container.WAV, encoding(), sampleRate, channels, validBits, frames());
    }

    /** Parses from just after nothing: the source must be positioned at the "RIFF" tag. */
    static WavHeader read(HeaderSource in) throws IOException {
        byte[] b = new byte[64];
        in.read(b, 12, "RIFF header");
        byte[] fmt = null;
        long dataOffset = -1;
        long dataSize = -1;
        while (true) {
            if (!in.tryRead(b, 8)) {
                throw new UnsupportedAudioException(Reason.TRUNCATED, fmt == null
                        ? "WAV file has no 'fmt ' chunk" : "WAV file has no 'data' chunk");
            }
            String id = new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = HeaderSource.u32le(b, 4);
            if (id.equals("fmt ")) {
                if (size < 16 || size > MAX_FMT_CHUNK) {
                    throw new UnsupportedAudioException(Reason.CORRUPT, "WAV 'fmt ' chunk has impossible size " + size);
                }
                fmt = new byte[(int) size];
                in.read(fmt, fmt.length, "'fmt ' chunk");
                if ((size & 1) != 0) {
                    in.tryRead(b, 1); // pad byte; a missing final pad byte is harmless
                }
                if (dataOffset >= 0) {
                    break;
                }
            } else if (id.equals("data")) {
                dataOffset = in.position();
                dataSize = size == UNKNOWN_SIZE ? -1 : size;
                if (fmt != null) {
                    break;
                }
                if (dataSize < 0) {
                    throw new UnsupportedAudioException(Reason.CORRUPT,
                            "WAV 'data' chunk of unknown length precedes the 'fmt ' chunk");
                }
                in.skip(size + (size & 1), "'data' chunk");
            } else {
                in.skip(size + (size & 1), "'" + id.strip() + "' chunk");
            }
        }
        return parseFormat(fmt, dataOffset, dataSize);
    }

    private static WavHeader parseFormat(byte[] fmt, long dataOffset, long dataSize)
            throws UnsupportedAudioException {
        int tag = HeaderSource.u16le(fmt, 0);
        int channels = HeaderSource.u16le(fmt, 2);
        long sampleRate = HeaderSource.u32le(fmt, 4);
        int blockAlign = HeaderSource.u16le(fmt, 12);
        int bits = HeaderSource.u16le(fmt, 14);
        boolean extensible = tag == WAVE_FORMAT_EXTENSIBLE;
        int validBits = bits;
        if (extensible) {
            if (fmt.length < 40) {
                throw new UnsupportedAudioException(Reason.CORRUPT, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is too short");
            }
            int declaredValid = HeaderSource.u16le(fmt, 18);
            if (declaredValid != 0) {
                validBits = declaredValid;
            }
            tag = HeaderSource.u16le(fmt, 24);
            for (int i = 0; i < SUBTYPE_GUID_TAIL.length; i++) {
                if (fmt[26 + i] != SUBTYPE_GUID_TAIL[i]) {
                    throw new UnsupportedAudioException(Reason.UNSUPPORTED_ENCODING,
                            "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID");
                }
            }
        }
        if (tag != WAVE_FORMAT_PCM && tag != WAVE_FORMAT_IEEE_FLOAT) {
            throw new UnsupportedAudioException(Reason.UNSUPPORTED_ENCODING, String.format(
                    "WAV sample format 0x%04X is not supported (only PCM and IEEE float)", tag));
        }
        if (channels < 1 || channels > 64) {
            throw new UnsupportedAudioException(Reason.CORRUPT, "WAV declares " + channels + " channels");
        }
        if (sampleRate < 1000 || sampleRate > 1_536_000) {
            throw new UnsupportedAudioException(Reason.CORRUPT, "WAV declares sample rate " + sampleRate + " Hz");
        }
        if (blockAlign == 0 || blockAlign % channels != 0) {
            throw new UnsupportedAudioException(Reason.CORRUPT,
                    "WAV block align " + blockAlign + " does not fit " + channels + " channels");
        }
        int bytesPerSample = blockAlign / channels;
        boolean floating = tag == WAVE_FORMAT_IEEE_FLOAT;
        if (floating ? bytesPerSample != 4 && bytesPerSample != 8 : bytesPerSample < 1 || bytesPerSample > 4) {
            throw new UnsupportedAudioException(Reason.UNSUPPORTED_ENCODING,
                    (floating ? "IEEE float" : "PCM") + " WAV with " + bytesPerSample + "-byte samples is not supported");
        }
        if (validBits == 0 || validBits > bytesPerSample * 8) {
            validBits = bytesPerSample * 8;
        }
        return new WavHeader(floating, channels, (int) sampleRate, validBits, bytesPerSample, blockAlign,
                extensible, dataOffset, dataSize);
    }
}
