package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Decodes WAV and FLAC files to a mono {@link AudioClip}, averaging channels (as RVC's
 * {@code load_audio} does with ffmpeg {@code -ac 1}). The sample rate is left as recorded; resampling
 * is {@link io.cantor.rvc.dsp.Resampler}'s job.
 */
public final class AudioDecoder {

    private AudioDecoder() {
    }

    /** Decodes a file, memory-mapping it so large files cost no heap copy. */
    public static AudioClip decode(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new UnsupportedAudioException(Reason.EMPTY, "the file is empty");
            }
            if (size > Integer.MAX_VALUE) {
                throw new UnsupportedAudioException(Reason.TOO_LARGE, "file of " + size + " bytes is larger than 2 GiB");
            }
            return decode(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    public static AudioClip decode(byte[] file) throws IOException {
        return decode(ByteBuffer.wrap(file));
    }

    /** Reads the whole stream, then decodes it. The stream is not closed. */
    public static AudioClip decode(InputStream in) throws IOException {
        return decode(in.readAllBytes());
    }

    /** Decodes the bytes between {@code file}'s position and limit; the buffer's state is not changed. */
    public static AudioClip decode(ByteBuffer file) throws IOException {
        ByteBuffer view = file.slice();
        byte[] head = new byte[ContainerSniffer.MAGIC_BYTES];
        int n = Math.min(head.length, view.remaining());
        view.get(0, head, 0, n);
        long id3 = ContainerSniffer.id3v2Size(head, n);
        if (id3 > 0 && id3 < view.remaining()) {
            // An ID3v2 tag may precede "fLaC"; anything else behind it is treated as MP3.
            int m = (int) Math.min(head.length, view.remaining() - id3);
            byte[] after = new byte[head.length];
            view.get((int) id3, after, 0, m);
            if (ContainerSniffer.identify(after, m) == AudioInfo.Container.FLAC) {
                return decodeFlac(view);
            }
        }
        return switch (ContainerSniffer.identify(head, n)) {
            case WAV -> WavDecoder.decode(view);
            case FLAC -> decodeFlac(view);
        };
    }

    private static AudioClip decodeFlac(ByteBuffer file) throws IOException {
        MonoMixer mixer = new MonoMixer();
        FlacDecoder.StreamInfo info = FlacDecoder.decode(file, mixer, false);
        float[] samples = mixer.out.length == mixer.length ? mixer.out : Arrays.copyOf(mixer.out, mixer.length);
        return new AudioClip(samples, info.sampleRate());
    }

    /** Averages a FLAC block's channels into a growing float array. */
    private static final class MonoMixer implements FlacDecoder.BlockSink {
        float[] out = new float[0];
        int length;
        double fullScale;

        @Override
        public void start(FlacDecoder.StreamInfo info) {
            fullScale = 1 << (info.bitsPerSample() - 1);
            long total = info.totalSamples();
            // Trust the declared length only up to a modest size: memory must follow real, CRC-checked frames.
            out = new float[(int) Math.min(total > 0 ? total : 0, 1 << 22)];
        }

        @Override
        public void accept(int[][] channels, int n) throws UnsupportedAudioException {
            if (length + n > out.length) {
                long grown = Math.max((long) length + n, Math.max(1 << 16, (long) out.length * 3 / 2));
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new UnsupportedAudioException(Reason.TOO_LARGE, "FLAC stream too long for one array");
                }
                out = Arrays.copyOf(out, (int) grown);
            }
            double scale = 1.0 / (fullScale * channels.length);
            for (int i = 0; i < n; i++) {
                long sum = 0;
                for (int[] ch : channels) {
                    sum += ch[i];
                }
                out[length + i] = (float) (sum * scale);
            }
            length += n;
        }
    }
}
