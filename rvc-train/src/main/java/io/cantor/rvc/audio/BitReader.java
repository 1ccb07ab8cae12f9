package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.nio.ByteBuffer;

/**
 * Big-endian (MSB first) bit reader over a byte range, as FLAC frames need. Bits are staged in a
 * 64-bit cache so the hot Rice-decoding path touches memory once per byte.
 */
final class BitReader {

    private final ByteBuffer buf;
    private final int limit;
    /** Next byte to load into the cache. */
    private int pos;
    /** The low {@code bits} bits hold unread data, most significant first. */
    private long cache;
    private int bits;

    BitReader(ByteBuffer buf, int start, int limit) {
        this.buf = buf;
        this.pos = start;
        this.limit = limit;
    }

    /** Byte offset of the next unread bit (valid when byte aligned). */
    int bytePosition() {
        return pos - (bits >>> 3);
    }

    boolean byteAligned() {
        return (bits & 7) == 0;
    }

    void alignToByte() {
        bits &= ~7;
    }

    /** Moves to a byte offset, dropping anything cached. */
    void seek(int bytePos) {
        pos = bytePos;
        bits = 0;
        cache = 0;
    }

    private void refill() {
        while (bits <= 56 && pos < limit) {
            cache = cache << 8 | (buf.get(pos++) & 0xFF);
            bits += 8;
        }
    }

    private static UnsupportedAudioException truncated() {
        return new UnsupportedAudioException(Reason.TRUNCATED, "FLAC stream ends inside a frame");
    }

    /** Reads {@code n} (0..32) bits as an unsigned value. */
    int readBits(int n) throws UnsupportedAudioException {
        if (n == 0) {
            return 0;
        }
        if (bits < n) {
            refill();
            if (bits < n) {
                throw truncated();
            }
        }
        bits -= n;
        return (int) ((cache >>> bits) & ((1L << n) - 1));
    }

    /** Reads {@code n} (0..32) bits as a two's-complement signed value. */
    int readSigned(int n) throws UnsupportedAudioException {
        if (n == 0) {
            return 0;
        }
        int v = readBits(n);
        int shift = 32 - n;
        return v << shift >> shift;
    }

    boolean readBit() throws UnsupportedAudioException {
        return readBits(1) != 0;
    }

    /** Counts zero bits up to and including the next one bit; returns the number of zeros. */
    int readUnary() throws UnsupportedAudioException {
        int zeros = 0;
        while (true) {
            if (bits == 0) {
                refill();
                if (bits == 0) {
                    throw truncated();
                }
            }
            long window = cache << (64 - bits);
            if (window != 0) {
                int lz = Long.numberOfLeadingZeros(window);
                bits -= lz + 1;
                return zeros + lz;
            }
            zeros += bits;
            bits = 0;
        }
    }

    /**
     * Decodes {@code count} Rice-coded residuals with parameter {@code k} into {@code out[offset..]}.
     * Values are zig-zag folded in the stream (0, -1, 1, -2, ...).
     */
    void readRiceBlock(int[] out, int offset, int count, int k) throws UnsupportedAudioException {
        for (int i = offset, end = offset + count; i < end; i++) {
            int q = readUnary();
            int folded = q << k | readBits(k);
            out[i] = (folded >>> 1) ^ -(folded & 1);
        }
    }
}
