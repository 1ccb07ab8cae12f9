package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A complete FLAC decoder (native FLAC container, 4..24 bits per sample, 1..8 channels): STREAMINFO,
 * frames with CONSTANT/VERBATIM/FIXED/LPC subframes, wasted bits, Rice and Rice2 residuals including
 * escaped partitions, and left/side, side/right and mid/side stereo. Every frame header's CRC-8 and
 * every frame's CRC-16 is checked, so corruption surfaces as {@link UnsupportedAudioException}
 * instead of garbage audio; the STREAMINFO MD5 of the whole signal can be checked too.
 */
public final class FlacDecoder {

    private static final int MAX_BITS = 24;
    private static final int MAX_BLOCK = 65536;

    /** The mandatory first metadata block. {@code totalSamples} is 0 when the encoder did not know it. */
    public record StreamInfo(int minBlockSize, int maxBlockSize, int minFrameSize, int maxFrameSize,
                             int sampleRate, int channels, int bitsPerSample, long totalSamples, byte[] md5) {

        boolean hasMd5() {
            for (byte b : md5) {
                if (b != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Receives decoded blocks; {@code channels[c][0..blockSize)} are signed samples at the stream's bit depth. */
    @FunctionalInterface
    public interface BlockSink {
        /** Called once, before the first block, with the parsed STREAMINFO. */
        default void start(StreamInfo info) throws UnsupportedAudioException {
        }

        void accept(int[][] channels, int blockSize) throws UnsupportedAudioException;
    }

    private final ByteBuffer buf;
    private final StreamInfo info;
    private final int firstFrame;
    private int[][] block;
    private int[] lpcCoefficients = new int[32];

    private FlacDecoder(ByteBuffer buf, StreamInfo info, int firstFrame) {
        this.buf = buf;
        this.info = info;
        this.firstFrame = firstFrame;
        int size = Math.max(info.maxBlockSize(), 16);
        this.block = new int[info.channels()][size];
    }

    /**
     * Decodes a whole FLAC file held in {@code file} (from its position to its limit), handing each
     * block to {@code sink} in order.
     *
     * @param verifyMd5 also check the STREAMINFO MD5 of the decoded signal (costs ~10% more time)
     */
    public static StreamInfo decode(ByteBuffer file, BlockSink sink, boolean verifyMd5) throws IOException {
        ByteBuffer view = file.slice();
        HeaderSource src = HeaderSource.of(view);
        StreamInfo info = readMetadata(src, true);
        FlacDecoder d = new FlacDecoder(view, info, (int) src.position());
        sink.start(info);
        d.run(sink, verifyMd5);
        return info;
    }

    /** Decodes to one int array per channel; convenient for tests and checksums. */
    public static int[][] decodeChannels(ByteBuffer file, boolean verifyMd5) throws IOException {
        int[][][] out = {null};
        int[] length = {0};
        decode(file, (channels, n) -> {
            if (out[0] == null) {
                out[0] = new int[channels.length][Math.max(n, 4096)];
            }
            if (length[0] + n > out[0][0].length) {
                long grown = Math.max((long) length[0] + n, (long) out[0][0].length * 3 / 2);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new UnsupportedAudioException(Reason.TOO_LARGE, "FLAC stream too long for one array");
                }
                for (int c = 0; c < channels.length; c++) {
                    out[0][c] = Arrays.copyOf(out[0][c], (int) grown);
                }
            }
            for (int c = 0; c < channels.length; c++) {
                System.arraycopy(channels[c], 0, out[0][c], length[0], n);
            }
            length[0] += n;
        }, verifyMd5);
        int[][] result = out[0];
        for (int c = 0; c < result.length; c++) {
            result[c] = Arrays.copyOf(result[c], length[0]);
        }
        return result;
    }

    /**
     * Reads "fLaC" (after an optional ID3v2 tag) and the metadata blocks.
     *
     * @param all read through the last metadata block (for decoding); otherwise stop after STREAMINFO
     */
    static StreamInfo readMetadata(HeaderSource in, boolean all) throws IOException {
        byte[] b = new byte[34];
        in.read(b, 4, "FLAC signature");
        if (b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            byte[] id3 = new byte[10];
            System.arraycopy(b, 0, id3, 0, 4);
            in.read(b, 6, "ID3v2 tag");
            System.arraycopy(b, 0, id3, 4, 6);
            in.skip(ContainerSniffer.id3v2Size(id3, 10) - 10, "ID3v2 tag");
            in.read(b, 4, "FLAC signature");
        }
        if (b[0] != 'f' || b[1] != 'L' || b[2] != 'a' || b[3] != 'C') {
            throw new UnsupportedAudioException(Reason.NOT_AUDIO, "missing 'fLaC' signature");
        }
        StreamInfo info = null;
        boolean last = false;
        while (!last) {
            in.read(b, 4, "FLAC metadata block header");
            last = (b[0] & 0x80) != 0;
            int type = b[0] & 0x7F;
            int length = HeaderSource.u24be(b, 1);
            if (info == null) {
                if (type != 0 || length != 34) {
                    throw new UnsupportedAudioException(Reason.CORRUPT, "FLAC does not start with a STREAMINFO block");
                }
                in.read(b, 34, "FLAC STREAMINFO block");
                info = parseStreamInfo(b);
                if (!all) {
                    return info;
                }
            } else if (type == 127) {
                throw new UnsupportedAudioException(Reason.CORRUPT, "invalid FLAC metadata block type 127");
            } else {
                in.skip(length, "FLAC metadata block");
            }
        }
        return info;
    }

    private static StreamInfo parseStreamInfo(byte[] b) throws UnsupportedAudioException {
        int minBlock = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
        int maxBlock = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        int minFrame = HeaderSource.u24be(b, 4);
        int maxFrame = HeaderSource.u24be(b, 7);
        int sampleRate = (b[10] & 0xFF) << 12 | (b[11] & 0xFF) << 4 | (b[12] & 0xF0) >>> 4;
        int channels = ((b[12] & 0x0E) >>> 1) + 1;
        int bits = ((b[12] & 0x01) << 4 | (b[13] & 0xF0) >>> 4) + 1;
        long total = (long) (b[13] & 0x0F) << 32 | ((long) HeaderSource.u24be(b, 14) << 8 | (b[17] & 0xFF));
        byte[] md5 = Arrays.copyOfRange(b, 18, 34);
        if (minBlock < 16 || maxBlock < minBlock) {
            throw new UnsupportedAudioException(Reason.CORRUPT,
                    "FLAC STREAMINFO has impossible block sizes " + minBlock + ".." + maxBlock);
        }
        if (sampleRate == 0) {
            throw new UnsupportedAudioException(Reason.CORRUPT, "FLAC STREAMINFO has sample rate 0");
        }
        if (bits < 4 || bits > MAX_BITS) {
            throw new UnsupportedAudioException(Reason.UNSUPPORTED_ENCODING,
                    "FLAC with " + bits + " bits per sample is not supported (4..24)");
        }
        return new StreamInfo(minBlock, maxBlock, minFrame, maxFrame, sampleRate, channels, bits, total, md5);
    }

    private void run(BlockSink sink, boolean verifyMd5) throws IOException {
        MessageDigest md5 = null;
        if (verifyMd5 && info.hasMd5()) {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has MD5", e);
            }
        }
        byte[] md5Bytes = null;
        int limit = buf.limit();
        long total = info.totalSamples();
        long decoded = 0;
        int pos = firstFrame;
        BitReader br = new BitReader(buf, pos, limit);
        while (total == 0 || decoded < total) {
            if (pos >= limit || total == 0 && isTrailingTag(pos, limit)) {
                if (total != 0) {
                    throw new UnsupportedAudioException(Reason.TRUNCATED, "FLAC stream ends after "
                            + decoded + " of " + total + " samples");
                }
                break;
            }
            br.seek(pos);
            int n = decodeFrame(br, pos);
            pos = br.bytePosition();
            if (total != 0 && decoded + n > total) {
                n = (int) (total - decoded); // a final frame longer than STREAMINFO says: trust STREAMINFO
            }
            if (md5 != null) {
                md5Bytes = updateMd5(md5, n, md5Bytes);
            }
            sink.accept(block, n);
            decoded += n;
        }
        if (decoded == 0) {
            throw new UnsupportedAudioException(Reason.EMPTY, "FLAC stream contains no samples");
        }
        if (md5 != null && !Arrays.equals(md5.digest(), info.md5())) {
            throw new UnsupportedAudioException(Reason.CORRUPT, "FLAC MD5 signature does not match the decoded audio");
        }
    }

    /** An ID3v1 tag ("TAG" + 125 bytes) is the one thing tolerated after the last frame. */
    private boolean isTrailingTag(int pos, int limit) {
        return limit - pos == 128 && buf.get(pos) == 'T' && buf.get(pos + 1) == 'A' && buf.get(pos + 2) == 'G';
    }

    private byte[] updateMd5(MessageDigest md5, int n, byte[] scratch) {
        // The MD5 covers interleaved little-endian samples of ceil(bits/8) bytes each.
        int bytes = (info.bitsPerSample() + 7) >>> 3;
        int channels = info.channels();
        int need = n * channels * bytes;
        if (scratch == null || scratch.length < need) {
            scratch = new byte[need];
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int v = block[c][i];
                for (int j = 0; j < bytes; j++) {
                    scratch[k++] = (byte) (v >>> (8 * j));
                }
            }
        }
        md5.update(scratch, 0, need);
        return scratch;
    }

    private static UnsupportedAudioException corrupt(String message) {
        return new UnsupportedAudioException(Reason.CORRUPT, "corrupt FLAC frame: " + message);
    }

    /** Decodes the frame at {@code frameStart} into {@link #block}; returns its block size. */
    private int decodeFrame(BitReader br, int frameStart) throws UnsupportedAudioException {
        if (br.readBits(15) != 0x7FFC) {
            throw new UnsupportedAudioException(Reason.CORRUPT, "lost FLAC frame sync at byte " + frameStart);
        }
        br.readBit(); // blocking strategy: fixed or variable; the decoder does not need it
        int blockSizeCode = br.readBits(4);
        int sampleRateCode = br.readBits(4);
        int channelCode = br.readBits(4);
        int sampleSizeCode = br.readBits(3);
        if (br.readBit()) {
            throw corrupt("reserved header bit set");
        }
        readCodedNumber(br);
        int blockSize = switch (blockSizeCode) {
            case 0 -> throw corrupt("reserved block size code");
            case 1 -> 192;
            case 2, 3, 4, 5 -> 576 << (blockSizeCode - 2);
            case 6 -> br.readBits(8) + 1;
            case 7 -> br.readBits(16) + 1;
            default -> 256 << (blockSizeCode - 8);
        };
        int sampleRate = switch (sampleRateCode) {
            case 0 -> info.sampleRate();
            case 1 -> 88200;
            case 2 -> 176400;
            case 3 -> 192000;
            case 4 -> 8000;
            case 5 -> 16000;
            case 6 -> 22050;
            case 7 -> 24000;
            case 8 -> 32000;
            case 9 -> 44100;
            case 10 -> 48000;
            case 11 -> 96000;
            case 12 -> br.readBits(8) * 1000;
            case 13 -> br.readBits(16);
            case 14 -> br.readBits(16) * 10;
            default -> throw corrupt("invalid sample rate code");
        };
        int bits = switch (sampleSizeCode) {
            case 0 -> info.bitsPerSample();
            case 1 -> 8;
            case 2 -> 12;
            case 4 -> 16;
            case 5 -> 20;
            case 6 -> 24;
            case 7 -> 32;
            default -> throw corrupt("reserved sample size code");
        };
        int headerCrc = br.readBits(8);
        if (crc8(buf, frameStart, br.bytePosition() - 1) != headerCrc) {
            throw corrupt("header CRC-8 mismatch at byte " + frameStart);
        }
        int channels = channelCode < 8 ? channelCode + 1 : 2;
        if (channelCode > 10) {
            throw corrupt("reserved channel assignment");
        }
        if (channels != info.channels() || bits != info.bitsPerSample() || sampleRate != info.sampleRate()) {
            throw corrupt("frame format " + channels + "ch/" + bits + "-bit/" + sampleRate
                    + " Hz differs from STREAMINFO");
        }
        if (block[0].length < blockSize) {
            block = new int[channels][Math.min(MAX_BLOCK, Math.max(blockSize, block[0].length * 2))];
        }
        for (int c = 0; c < channels; c++) {
            boolean side = channelCode == 8 && c == 1 || channelCode == 9 && c == 0 || channelCode == 10 && c == 1;
            decodeSubframe(br, block[c], blockSize, side ? bits + 1 : bits);
        }
        br.alignToByte();
        int frameCrc = br.readBits(16);
        if (crc16(buf, frameStart, br.bytePosition() - 2) != frameCrc) {
            throw corrupt("CRC-16 mismatch in frame at byte " + frameStart);
        }
        decorrelate(channelCode, blockSize);
        return blockSize;
    }

    private static void readCodedNumber(BitReader br) throws UnsupportedAudioException {
        int first = br.readBits(8);
        int extra;
        if ((first & 0x80) == 0) {
            extra = 0;
        } else if ((first & 0xE0) == 0xC0) {
            extra = 1;
        } else if ((first & 0xF0) == 0xE0) {
            extra = 2;
        } else if ((first & 0xF8) == 0xF0) {
            extra = 3;
        } else if ((first & 0xFC) == 0xF8) {
            extra = 4;
        } else if ((first & 0xFE) == 0xFC) {
            extra = 5;
        } else if (first == 0xFE) {
            extra = 6;
        } else {
            throw corrupt("invalid frame number encoding");
        }
        for (int i = 0; i < extra; i++) {
            if ((br.readBits(8) & 0xC0) != 0x80) {
                throw corrupt("invalid frame number encoding");
            }
        }
    }

    private void decorrelate(int channelCode, int n) {
        int[] a = block[0];
        int[] b = block[1 % block.length];
        switch (channelCode) {
            case 8 -> { // left, side
                for (int i = 0; i < n; i++) {
                    b[i] = a[i] - b[i];
                }
            }
            case 9 -> { // side, right
                for (int i = 0; i < n; i++) {
                    a[i] += b[i];
                }
            }
            case 10 -> { // mid, side: the side's low bit restores the mid's lost bit
                for (int i = 0; i < n; i++) {
                    int side = b[i];
                    int mid = a[i] << 1 | side & 1;
                    a[i] = (mid + side) >> 1;
                    b[i] = (mid - side) >> 1;
                }
            }
            default -> {
                // independent channels
            }
        }
    }

    private void decodeSubframe(BitReader br, int[] out, int n, int bits) throws UnsupportedAudioException {
        if (br.readBit()) {
            throw corrupt("subframe padding bit set");
        }
        int type = br.readBits(6);
        int wasted = 0;
        if (br.readBit()) {
            wasted = br.readUnary() + 1;
            if (wasted >= bits) {
                throw corrupt("wasted bits " + wasted + " >= sample size " + bits);
            }
            bits -= wasted;
        }
        if (type == 0) {
            Arrays.fill(out, 0, n, br.readSigned(bits));
        } else if (type == 1) {
            for (int i = 0; i < n; i++) {
                out[i] = br.readSigned(bits);
            }
        } else if (type >= 8 && type <= 12) {
            decodeFixed(br, out, n, bits, type - 8);
        } else if (type >= 32) {
            decodeLpc(br, out, n, bits, type - 31);
        } else {
            throw corrupt("reserved subframe type " + type);
        }
        if (wasted > 0) {
            for (int i = 0; i < n; i++) {
                out[i] <<= wasted;
            }
        }
    }

    private void decodeFixed(BitReader br, int[] s, int n, int bits, int order) throws UnsupportedAudioException {
        if (order > n) {
            throw corrupt("predictor order " + order + " exceeds block size " + n);
        }
        for (int i = 0; i < order; i++) {
            s[i] = br.readSigned(bits);
        }
        readResidual(br, s, n, order);
        switch (order) {
            case 1 -> {
                for (int i = 1; i < n; i++) {
                    s[i] += s[i - 1];
                }
            }
            case 2 -> {
                for (int i = 2; i < n; i++) {
                    s[i] += 2 * s[i - 1] - s[i - 2];
                }
            }
            case 3 -> {
                for (int i = 3; i < n; i++) {
                    s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
                }
            }
            case 4 -> {
                for (int i = 4; i < n; i++) {
                    s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
                }
            }
            default -> {
                // order 0: the residual is the signal
            }
        }
    }

    private void decodeLpc(BitReader br, int[] s, int n, int bits, int order) throws UnsupportedAudioException {
        if (order > n) {
            throw corrupt("predictor order " + order + " exceeds block size " + n);
        }
        for (int i = 0; i < order; i++) {
            s[i] = br.readSigned(bits);
        }
        int precision = br.readBits(4) + 1;
        if (precision == 16) {
            throw corrupt("invalid LPC coefficient precision");
        }
        int shift = br.readSigned(5);
        if (shift < 0) {
            throw corrupt("negative LPC shift");
        }
        int[] c = lpcCoefficients;
        for (int j = 0; j < order; j++) {
            c[j] = br.readSigned(precision);
        }
        readResidual(br, s, n, order);
        // 64-bit accumulation: 24-bit samples x 15-bit coefficients x 32 taps overflow an int.
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) {
                sum += (long) c[j] * s[i - 1 - j];
            }
            s[i] += (int) (sum >> shift);
        }
    }

    private static void readResidual(BitReader br, int[] out, int n, int order) throws UnsupportedAudioException {
        int method = br.readBits(2);
        if (method > 1) {
            throw corrupt("reserved residual coding method");
        }
        int paramBits = method == 0 ? 4 : 5;
        int escape = method == 0 ? 15 : 31;
        int partitionOrder = br.readBits(4);
        int partitionSize = n >> partitionOrder;
        if (partitionSize << partitionOrder != n || partitionSize < order) {
            throw corrupt("residual partition order " + partitionOrder + " does not fit block size " + n);
        }
        int idx = order;
        for (int p = 0, partitions = 1 << partitionOrder; p < partitions; p++) {
            int count = p == 0 ? partitionSize - order : partitionSize;
            int k = br.readBits(paramBits);
            if (k == escape) {
                int rawBits = br.readBits(5);
                for (int i = 0; i < count; i++) {
                    out[idx + i] = br.readSigned(rawBits);
                }
            } else {
                br.readRiceBlock(out, idx, count, k);
            }
            idx += count;
        }
    }

    private static final int[] CRC8 = new int[256];
    private static final int[] CRC16 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c8 = i;
            int c16 = i << 8;
            for (int j = 0; j < 8; j++) {
                c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
                c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
            }
            CRC8[i] = c8 & 0xFF;
            CRC16[i] = c16 & 0xFFFF;
        }
    }

    static int crc8(ByteBuffer b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = CRC8[crc ^ (b.get(i) & 0xFF)];
        }
        return crc;
    }

    static int crc16(ByteBuffer b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ CRC16[(crc >>> 8) ^ (b.get(i) & 0xFF)]) & 0xFFFF;
        }
        return crc;
    }
}
