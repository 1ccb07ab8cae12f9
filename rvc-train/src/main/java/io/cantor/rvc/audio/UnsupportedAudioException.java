package io.cantor.rvc.audio;

import java.io.IOException;

/**
 * Thrown when bytes cannot be turned into audio: not an audio file at all, a container or
 * encoding this decoder does not handle, or a file that is truncated or corrupted. It is an
 * {@link IOException} so callers that already handle I/O failures handle this too; {@link #reason()}
 * lets a server map it to a precise message without parsing text.
 */
public class UnsupportedAudioException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** Zero bytes, or a valid header that declares no samples. */
        EMPTY,
        /** The bytes are not a recognised audio container. */
        NOT_AUDIO,
        /** A recognised container this library does not decode (MP3, Ogg, AIFF, ...). */
        UNSUPPORTED_FORMAT,
        /** WAV or FLAC, but with a sample encoding this library does not decode. */
        UNSUPPORTED_ENCODING,
        /** The data ends before the header says it should. */
        TRUNCATED,
        /** The data is inconsistent: bad checksums, impossible header values, lost sync. */
        CORRUPT,
        /** The audio would not fit in one Java array. */
        TOO_LARGE
    }

    private final Reason reason;

    public UnsupportedAudioException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
