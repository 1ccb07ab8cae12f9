package io.cantor.rvc.audio;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive FLAC encoder for tests: every frame states exactly which subframe type,
 * predictor, residual coding and channel mode to use, so the decoder is exercised on each feature
 * with a known answer. Written from the format specification, independently of the decoder.
 */
final class FlacTestEncoder {

    enum Kind { CONSTANT, VERBATIM, FIXED, LPC }

    /** How to code one channel of one frame. */
    record Sub(Kind kind, int order, int[] coefs, int precision, int shift, int riceMethod,
               int partitionOrder, boolean escapeOddPartitions, int wastedBits) {
        static Sub constant() {
            return new Sub(Kind.CONSTANT, 0, null, 0, 0, 0, 0, false, 0);
        }

        static Sub verbatim() {
            return new Sub(Kind.VERBATIM, 0, null, 0, 0, 0, 0, false, 0);
        }

        static Sub fixed(int order, int riceMethod, int partitionOrder, boolean escape) {
            return new Sub(Kind.FIXED, order, null, 0, 0, riceMethod, partitionOrder, escape, 0);
        }

        static Sub lpc(int[] coefs, int precision, int shift, int riceMethod, int partitionOrder, boolean escape) {
            for (int c : coefs) {
                if (c < -(1 << (precision - 1)) || c >= 1 << (precision - 1)) {
                    throw new IllegalArgumentException(c + " does not fit " + precision + " signed bits");
                }
            }
            return new Sub(Kind.LPC, coefs.length, coefs, precision, shift, riceMethod, partitionOrder, escape, 0);
        }

        Sub wasted(int bits) {
            return new Sub(kind, order, coefs, precision, shift, riceMethod, partitionOrder, escapeOddPartitions, bits);
        }
    }

    /**
     * One frame. {@code channelMode}: 0 independent, 8 left/side, 9 side/right, 10 mid/side.
     * {@code rateCode}: -1 picks the table code or 0; otherwise that code (12, 13, 14 put the rate in the header).
     */
    record Frame(int blockSize, int channelMode, int rateCode, Sub... subs) {
    }

    private final int sampleRate;
    private final int channels;
    private final int bits;
    private final boolean variableBlockSize;

    FlacTestEncoder(int sampleRate, int channels, int bits, boolean variableBlockSize) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.bits = bits;
        this.variableBlockSize = variableBlockSize;
    }

    byte[] encode(int[][] samples, List<Frame> frames) throws Exception {
        int total = samples[0].length;
        int minBlock = Integer.MAX_VALUE;
        int maxBlock = 0;
        for (Frame f : frames) {
            minBlock = Math.min(minBlock, f.blockSize);
            maxBlock = Math.max(maxBlock, f.blockSize);
        }
        minBlock = Math.max(16, variableBlockSize ? 16 : minBlock);
        maxBlock = Math.max(maxBlock, minBlock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'f', 'L', 'a', 'C'});
        BitWriter si = new BitWriter();
        si.write(0, 1).write(0, 7).write(34, 24);
        si.write(minBlock, 16).write(maxBlock, 16).write(0, 24).write(0, 24);
        si.write(sampleRate, 20).write(channels - 1, 3).write(bits - 1, 5).write(total, 36);
        out.write(si.toBytes());
        out.write(md5(samples));
        // A VORBIS_COMMENT-like block and a final PADDING block the decoder must skip.
        out.write(new byte[] {4, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'});
        out.write(new byte[] {(byte) 0x81, 0, 0, 3, 0, 0, 0});
        int offset = 0;
        int frameNumber = 0;
        for (Frame f : frames) {
            out.write(frame(samples, offset, f, variableBlockSize ? offset : frameNumber));
            offset += f.blockSize;
            frameNumber++;
        }
        if (offset != total) {
            throw new IllegalArgumentException("frames cover " + offset + " of " + total + " samples");
        }
        return out.toByteArray();
    }

    private byte[] md5(int[][] samples) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        int bytes = (bits + 7) / 8;
        for (int i = 0; i < samples[0].length; i++) {
            for (int[] ch : samples) {
                for (int j = 0; j < bytes; j++) {
                    md.update((byte) (ch[i] >> (8 * j)));
                }
            }
        }
        return md.digest();
    }

    private byte[] frame(int[][] samples, int offset, Frame f, long number) {
        int n = f.blockSize;
        BitWriter w = new BitWriter();
        w.write(0x3FFE, 14).write(0, 1).write(variableBlockSize ? 1 : 0, 1);
        int bsCode;
        int[] standard = {0, 192, 576, 1152, 2304, 4608, -1, -1, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
        bsCode = -1;
        for (int c = 1; c < 16; c++) {
            if (standard[c] == n) {
                bsCode = c;
            }
        }
        if (bsCode < 0) {
            bsCode = n <= 256 ? 6 : 7;
        }
        int rateCode = f.rateCode;
        if (rateCode < 0) {
            int[] rates = {0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000};
            rateCode = 0;
            for (int c = 1; c < rates.length; c++) {
                if (rates[c] == sampleRate) {
                    rateCode = c;
                }
            }
        }
        int sizeCode = switch (bits) {
            case 8 -> 1;
            case 12 -> 2;
            case 16 -> 4;
            case 20 -> 5;
            case 24 -> 6;
            default -> 0;
        };
        int chCode = f.channelMode == 0 ? channels - 1 : f.channelMode;
        w.write(bsCode, 4).write(rateCode, 4).write(chCode, 4).write(sizeCode, 3).write(0, 1);
        writeCodedNumber(w, number);
        if (bsCode == 6) {
            w.write(n - 1, 8);
        } else if (bsCode == 7) {
            w.write(n - 1, 16);
        }
        switch (rateCode) {
            case 12 -> w.write(sampleRate / 1000, 8);
            case 13 -> w.write(sampleRate, 16);
            case 14 -> w.write(sampleRate / 10, 16);
            default -> {
            }
        }
        w.write(crc8(w.toBytes()), 8);

        int[][] coded = new int[channels][n];
        int[] codedBits = new int[channels];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(samples[c], offset, coded[c], 0, n);
            codedBits[c] = bits;
        }
        if (f.channelMode != 0) {
            int[] l = coded[0];
            int[] r = coded[1];
            int[] a = new int[n];
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                switch (f.channelMode) {
                    case 8 -> {
                        a[i] = l[i];
                        b[i] = l[i] - r[i];
                    }
                    case 9 -> {
                        a[i] = l[i] - r[i];
                        b[i] = r[i];
                    }
                    default -> {
                        a[i] = (l[i] + r[i]) >> 1;
                        b[i] = l[i] - r[i];
                    }
                }
            }
            coded[0] = a;
            coded[1] = b;
            if (f.channelMode == 9) {
                codedBits[0]++;
            } else {
                codedBits[1]++;
            }
        }
        for (int c = 0; c < channels; c++) {
            subframe(w, coded[c], codedBits[c], f.subs[c]);
        }
        w.align();
        byte[] body = w.toBytes();
        w.write(crc16(body), 16);
        return w.toBytes();
    }

    private static void writeCodedNumber(BitWriter w, long v) {
        if (v < 0x80) {
            w.write(v, 8);
            return;
        }
        int extra = v < 0x800 ? 1 : v < 0x10000 ? 2 : v < 0x200000 ? 3 : v < 0x4000000 ? 4 : v < 0x80000000L ? 5 : 6;
        int firstBits = 6 - extra; // payload bits in the first byte
        int lead = (0xFF00 >> (extra + 1)) & 0xFF;
        if (extra == 6) {
            w.write(0xFE, 8);
        } else {
            w.write(lead | (int) (v >>> (6 * extra)) & ((1 << firstBits) - 1), 8);
        }
        for (int i = extra - 1; i >= 0; i--) {
            w.write(0x80 | (int) (v >>> (6 * i)) & 0x3F, 8);
        }
    }

    private static void subframe(BitWriter w, int[] s, int bps, Sub sub) {
        int n = s.length;
        int k = sub.wastedBits;
        int[] x = s;
        if (k > 0) {
            x = new int[n];
            for (int i = 0; i < n; i++) {
                if ((s[i] & ((1 << k) - 1)) != 0) {
                    throw new IllegalArgumentException("samples are not multiples of 2^" + k);
                }
                x[i] = s[i] >> k;
            }
            bps -= k;
        }
        int type = switch (sub.kind) {
            case CONSTANT -> 0;
            case VERBATIM -> 1;
            case FIXED -> 8 + sub.order;
            case LPC -> 31 + sub.order;
        };
        w.write(0, 1).write(type, 6);
        if (k > 0) {
            w.write(1, 1);
            w.writeUnary(k - 1);
        } else {
            w.write(0, 1);
        }
        switch (sub.kind) {
            case CONSTANT -> {
                for (int v : x) {
                    if (v != x[0]) {
                        throw new IllegalArgumentException("CONSTANT subframe over a non-constant block");
                    }
                }
                w.writeSigned(x[0], bps);
            }
            case VERBATIM -> {
                for (int v : x) {
                    w.writeSigned(v, bps);
                }
            }
            case FIXED -> {
                int[] r = new int[n];
                for (int i = 0; i < sub.order; i++) {
                    w.writeSigned(x[i], bps);
                }
                for (int i = sub.order; i < n; i++) {
                    int p = switch (sub.order) {
                        case 0 -> 0;
                        case 1 -> x[i - 1];
                        case 2 -> 2 * x[i - 1] - x[i - 2];
                        case 3 -> 3 * x[i - 1] - 3 * x[i - 2] + x[i - 3];
                        default -> 4 * x[i - 1] - 6 * x[i - 2] + 4 * x[i - 3] - x[i - 4];
                    };
                    r[i] = x[i] - p;
                }
                residual(w, r, sub);
            }
            case LPC -> {
                int[] r = new int[n];
                for (int i = 0; i < sub.order; i++) {
                    w.writeSigned(x[i], bps);
                }
                w.write(sub.precision - 1, 4).writeSigned(sub.shift, 5);
                for (int c : sub.coefs) {
                    w.writeSigned(c, sub.precision);
                }
                for (int i = sub.order; i < n; i++) {
                    long sum = 0;
                    for (int j = 0; j < sub.order; j++) {
                        sum += (long) sub.coefs[j] * x[i - 1 - j];
                    }
                    r[i] = x[i] - (int) (sum >> sub.shift);
                }
                residual(w, r, sub);
            }
        }
    }

    private static void residual(BitWriter w, int[] r, Sub sub) {
        int n = r.length;
        w.write(sub.riceMethod, 2).write(sub.partitionOrder, 4);
        int parts = 1 << sub.partitionOrder;
        int size = n >> sub.partitionOrder;
        int escape = sub.riceMethod == 0 ? 15 : 31;
        int paramBits = sub.riceMethod == 0 ? 4 : 5;
        for (int p = 0; p < parts; p++) {
            int from = p == 0 ? sub.order : p * size;
            int to = (p + 1) * size;
            if (sub.escapeOddPartitions && (p & 1) == 1 || sub.escapeOddPartitions && parts == 1) {
                int raw = 0;
                for (int i = from; i < to; i++) {
                    int v = r[i];
                    int need = 33 - Integer.numberOfLeadingZeros(v < 0 ? ~v : v);
                    raw = Math.max(raw, v == 0 ? 0 : need);
                }
                w.write(escape, paramBits).write(raw, 5);
                for (int i = from; i < to; i++) {
                    w.writeSigned(r[i], raw);
                }
                continue;
            }
            long sumAbs = 0;
            for (int i = from; i < to; i++) {
                sumAbs += Math.abs((long) r[i]);
            }
            long mean = to > from ? sumAbs / (to - from) : 0;
            int k = mean <= 0 ? 0 : 63 - Long.numberOfLeadingZeros(mean);
            k = Math.min(k, escape - 1);
            w.write(k, paramBits);
            for (int i = from; i < to; i++) {
                long u = ((long) r[i] << 1) ^ ((long) r[i] >> 63);
                w.writeUnary(u >>> k);
                w.write(u & ((1L << k) - 1), k);
            }
        }
    }

    static int crc8(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    static int crc16(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }

    /** MSB-first bit writer. */
    static final class BitWriter {
        private final List<Byte> bytes = new ArrayList<>();
        private int acc;
        private int count;

        BitWriter write(long value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                acc = acc << 1 | (int) (value >>> i & 1);
                if (++count == 8) {
                    bytes.add((byte) acc);
                    acc = 0;
                    count = 0;
                }
            }
            return this;
        }

        BitWriter writeSigned(long value, int n) {
            return write(value & ((1L << n) - 1), n);
        }

        BitWriter writeUnary(long zeros) {
            for (long i = 0; i < zeros; i++) {
                write(0, 1);
            }
            return write(1, 1);
        }

        void align() {
            while (count != 0) {
                write(0, 1);
            }
        }

        byte[] toBytes() {
            if (count != 0) {
                throw new IllegalStateException("not byte aligned");
            }
            byte[] b = new byte[bytes.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = bytes.get(i);
            }
            return b;
        }
    }
}
