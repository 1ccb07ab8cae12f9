package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;

/**
 * Recognises a container from its first bytes. Formats we cannot decode are named in the error
 * so that a user uploading an MP3 learns to convert it rather than reading "not audio".
 */
final class ContainerSniffer {

    /** Bytes needed to recognise every format below. */
    static final int MAGIC_BYTES = 12;

    private ContainerSniffer() {
    }

    /**
     * @param head the first {@code min(MAGIC_BYTES, length)} bytes of the file (after any ID3v2 tag)
     * @param length how many bytes of {@code head} are valid
     */
    static AudioInfo.Container identify(byte[] head, int length) throws UnsupportedAudioException {
        if (length == 0) {
            throw new UnsupportedAudioException(Reason.EMPTY, "the file is empty");
        }
        if (startsWith(head, length, 0, "RIFF") && length >= 12) {
            if (startsWith(head, length, 8, "WAVE")) {
                return AudioInfo.Container.WAV;
            }
            throw new UnsupportedAudioException(Reason.NOT_AUDIO,
                    "RIFF file of type '" + ascii(head, 8, 4) + "' is not a WAVE file");
        }
        if (startsWith(head, length, 0, "fLaC")) {
            return AudioInfo.Container.FLAC;
        }
        String unsupported = null;
        if (startsWith(head, length, 0, "RIFX")) {
            unsupported = "big-endian WAV (RIFX)";
        } else if (startsWith(head, length, 0, "RF64") || startsWith(head, length, 0, "BW64")) {
            unsupported = "RF64/BW64 WAV";
        } else if (startsWith(head, length, 0, "OggS")) {
            unsupported = "Ogg (Vorbis/Opus/FLAC-in-Ogg)";
        } else if (startsWith(head, length, 0, "FORM") && length >= 12
                && (startsWith(head, length, 8, "AIFF") || startsWith(head, length, 8, "AIFC"))) {
            unsupported = "AIFF";
        } else if (startsWith(head, length, 4, "ftyp")) {
            unsupported = "MP4/M4A";
        } else if (startsWith(head, length, 0, "ID3")) {
            unsupported = "MP3";
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0
                && (head[1] & 0x18) != 0x08 && (head[1] & 0x06) != 0) {
            unsupported = "MPEG audio (MP3)";
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0) {
            unsupported = "AAC (ADTS)";
        } else if (startsWith(head, length, 0, "caff")) {
            unsupported = "Core Audio (CAF)";
        } else if (startsWith(head, length, 0, "wvpk")) {
            unsupported = "WavPack";
        } else if (startsWith(head, length, 0, "#!AMR")) {
            unsupported = "AMR";
        } else if (length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45
                && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3) {
            unsupported = "Matroska/WebM";
        }
        if (unsupported != null) {
            throw new UnsupportedAudioException(Reason.UNSUPPORTED_FORMAT,
                    unsupported + " is not supported; convert the file to WAV or FLAC");
        }
        throw new UnsupportedAudioException(Reason.NOT_AUDIO,
                "not a WAV or FLAC file (unrecognised header)");
    }

    /** Size of an ID3v2 tag starting at {@code head[0]}, or 0 if there is none. */
    static long id3v2Size(byte[] head, int length) {
        if (length < 10 || !startsWith(head, length, 0, "ID3")) {
            return 0;
        }
        // The size is "syncsafe": four bytes of seven bits each.
        int size = 0;
        for (int i = 6; i < 10; i++) {
            if ((head[i] & 0x80) != 0) {
                return 0;
            }
            size = size << 7 | head[i];
        }
        boolean footer = (head[5] & 0x10) != 0;
        return 10L + size + (footer ? 10 : 0);
    }

    private static boolean startsWith(byte[] b, int length, int offset, String magic) {
        if (offset + magic.length() > length) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[offset + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = b[offset + i] & 0xFF;
            s.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return s.toString();
    }
}
