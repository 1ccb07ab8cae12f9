package io.cantor.rvc.audio;

import io.cantor.rvc.audio.UnsupportedAudioException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Sequential access to the start of a file, so header parsing is written once and works both on a
 * whole file in memory (decoding) and on a stream that is read only as far as needed (probing).
 */
abstract class HeaderSource {

    protected long position;

    /** Reads up to {@code len} bytes; fewer only at end of input. */
    protected abstract int readSome(byte[] into, int offset, int len) throws IOException;

    /** Skips up to {@code count} bytes; returns how many were skipped (fewer only at end of input). */
    protected abstract long skipSome(long count) throws IOException;

    final long position() {
        return position;
    }

    /** Reads exactly {@code len} bytes or returns false when the input ends first. */
    final boolean tryRead(byte[] into, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = readSome(into, done, len - done);
            if (n <= 0) {
                position += done;
                return false;
            }
            done += n;
        }
        position += len;
        return true;
    }

    final void read(byte[] into, int len, String what) throws IOException {
        if (!tryRead(into, len)) {
            throw new UnsupportedAudioException(Reason.TRUNCATED, "file ends inside the " + what);
        }
    }

    final void skip(long count, String what) throws IOException {
        long skipped = skipSome(count);
        position += skipped;
        if (skipped < count) {
            throw new UnsupportedAudioException(Reason.TRUNCATED, "file ends inside the " + what);
        }
    }

    static HeaderSource of(ByteBuffer buffer) {
        return new HeaderSource() {
            private final ByteBuffer view = buffer.duplicate();

            @Override
            protected int readSome(byte[] into, int offset, int len) {
                int n = Math.min(len, view.remaining());
                view.get(into, offset, n);
                return n;
            }

            @Override
            protected long skipSome(long count) {
                int n = (int) Math.min(count, view.remaining());
                view.position(view.position() + n);
                return n;
            }
        };
    }

    static HeaderSource of(InputStream in) {
        return new HeaderSource() {
            @Override
            protected int readSome(byte[] into, int offset, int len) throws IOException {
                return in.read(into, offset, len);
            }

            @Override
            protected long skipSome(long count) throws IOException {
                long done = 0;
                byte[] scratch = null;
                while (done < count) {
                    long n = in.skip(count - done);
                    if (n <= 0) {
                        // skip() may return 0 without being at EOF; read() tells the two apart.
                        if (scratch == null) {
                            scratch = new byte[8192];
                        }
                        int r = in.read(scratch, 0, (int) Math.min(scratch.length, count - done));
                        if (r < 0) {
                            break;
                        }
                        n = r;
                    }
                    done += n;
                }
                return done;
            }
        };
    }

    /** A source that first replays {@code prefix[0..len)} (bytes already consumed from {@code rest}). */
    static HeaderSource withPrefix(byte[] prefix, int len, HeaderSource rest) {
        return new HeaderSource() {
            private int served;

            @Override
            protected int readSome(byte[] into, int offset, int count) throws IOException {
                if (served < len) {
                    int n = Math.min(count, len - served);
                    System.arraycopy(prefix, served, into, offset, n);
                    served += n;
                    return n;
                }
                return rest.readSome(into, offset, count);
            }

            @Override
            protected long skipSome(long count) throws IOException {
                long fromPrefix = Math.min(count, len - served);
                served += (int) fromPrefix;
                return fromPrefix + (count > fromPrefix ? rest.skipSome(count - fromPrefix) : 0);
            }
        };
    }

    static int u16le(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32le(byte[] b, int off) {
        return (u16le(b, off) | (long) u16le(b, off + 2) << 16) & 0xFFFFFFFFL;
    }

    static int u24be(byte[] b, int off) {
        return (b[off] & 0xFF) << 16 | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF);
    }
}
