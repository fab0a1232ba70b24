package dev.wasmota.contract.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines of bytes with a cap on line length, so a damaged or hostile
 * file never makes the reader allocate more than the cap. Reports whether each line was
 * terminated, which tells a torn last line (crash mid-write) from a complete one.
 */
public final class BoundedLineReader implements Closeable {
    private final InputStream in;
    private final int maxLineBytes;
    private long offset;
    private long number;
    private boolean stopped;

    /** One line: its 1-based number, byte offset, content without the newline, and its shape. */
    public record Line(long number, long offset, byte[] bytes, boolean terminated, boolean tooLong) {
        /** The offset just past this line (past its newline when terminated). */
        public long end() {
            return offset + bytes.length + (terminated ? 1 : 0);
        }
    }

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line, or {@code null} at end of input. A line longer than the cap is returned with
     * {@code tooLong} set and only its first cap bytes, after which the reader reports end of input.
     */
    public Line next() throws IOException {
        if (stopped) {
            return null;
        }
        byte[] buf = new byte[Math.min(256, maxLineBytes)];
        int len = 0;
        long start = offset;
        int b;
        while ((b = in.read()) >= 0) {
            offset++;
            if (b == '\n') {
                return new Line(++number, start, Arrays.copyOf(buf, len), true, false);
            }
            if (len == maxLineBytes) {
                stopped = true;
                return new Line(++number, start, Arrays.copyOf(buf, len), false, true);
            }
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxLineBytes, buf.length * 2));
            }
            buf[len++] = (byte) b;
        }
        if (len == 0 && offset == start) {
            return null;
        }
        return new Line(++number, start, Arrays.copyOf(buf, len), false, false);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
