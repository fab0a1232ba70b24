package dev.wasmota.cli.serve;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A {@link PrintStream} onto a command's {@link PrintWriter}, passing whole UTF-8 lines through. */
public final class LineStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LineStream(PrintWriter writer) {
        this.writer = writer;
    }

    public static PrintStream of(PrintWriter writer) {
        return new PrintStream(new LineStream(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (line.size() > 0) {
            writer.print(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
        writer.flush();
    }
}
