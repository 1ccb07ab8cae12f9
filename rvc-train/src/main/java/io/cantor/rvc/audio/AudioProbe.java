package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads only a file's header to learn its format, sample rate, channels, bit depth and duration, so a
 * server can reject non-audio or unsupported uploads before storing or decoding them. Nothing beyond
 * the WAV "data" chunk header or the FLAC STREAMINFO block is read; sample data is not validated
 * (that happens in {@link AudioDecoder}).
 */
public final class AudioProbe {

    private AudioProbe() {
    }

    /**
     * Probes the start of a file. {@code header} may be a prefix (a few KiB is plenty for ordinary
     * files): it must reach the WAV "data" chunk header or the end of the FLAC STREAMINFO block.
     */
    public static AudioInfo probe(byte[] header) throws IOException {
        return probe(HeaderSource.of(ByteBuffer.wrap(header)));
    }

    /** Probes a stream, reading (and skipping) only as far as the header requires. Does not close it. */
    public static AudioInfo probe(InputStream in) throws IOException {
        return probe(HeaderSource.of(in));
    }

    public static AudioInfo probe(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
            return probe(in);
        }
    }

    private static AudioInfo probe(HeaderSource in) throws IOException {
        byte[] head = new byte[ContainerSniffer.MAGIC_BYTES];
        int n = readUpTo(in, head);
        long id3 = ContainerSniffer.id3v2Size(head, n);
        if (id3 > 0) {
            HeaderSource rest = HeaderSource.withPrefix(head, n, in);
            rest.skip(id3, "ID3v2 tag");
            n = readUpTo(rest, head);
            AudioInfo.Container c;
            try {
                c = ContainerSniffer.identify(head, n);
            } catch (UnsupportedAudioException e) {
                throw new UnsupportedAudioException(Reason.UNSUPPORTED_FORMAT,
                        "MP3 is not supported; convert the file to WAV or FLAC");
            }
            if (c != AudioInfo.Container.FLAC) {
                throw new UnsupportedAudioException(Reason.NOT_AUDIO, "ID3 tag in front of a WAV file");
            }
            return flacInfo(HeaderSource.withPrefix(head, n, rest));
        }
        HeaderSource whole = HeaderSource.withPrefix(head, n, in);
        return switch (ContainerSniffer.identify(head, n)) {
            case WAV -> WavHeader.read(whole).info();
            case FLAC -> flacInfo(whole);
        };
    }

    private static AudioInfo flacInfo(HeaderSource in) throws IOException {
        FlacDecoder.StreamInfo s = FlacDecoder.readMetadata(in, false);
        long frames = s.totalSamples() == 0 ? -1 : s.totalSamples();
        return AudioInfo.of(AudioInfo.Container.FLAC, "FLAC " + s.bitsPerSample() + "-bit",
                s.sampleRate(), s.channels(), s.bitsPerSample(), frames);
    }

    private static int readUpTo(HeaderSource in, byte[] into) throws IOException {
        int done = 0;
        while (done < into.length) {
            int r = in.readSome(into, done, into.length - done);
            if (r <= 0) {
                break;
            }
            done += r;
        }
        return done;
    }
}
