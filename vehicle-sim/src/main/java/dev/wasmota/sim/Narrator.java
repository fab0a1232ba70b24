package dev.wasmota.sim;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells the story as it happens, one line per step with the seconds since the start, and keeps
 * the lines for the report. A progress line (when the output is a terminal) is redrawn in place
 * and cleared before the next story line.
 */
public final class Narrator {
    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final List<String> story = new ArrayList<>();
    private boolean progressShown;
    private long lastProgressLine;

    public Narrator(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public synchronized void say(String line) {
        clearProgress();
        String stamped = String.format(Locale.ROOT, "[%5.1fs] %s", seconds(), line);
        story.add(stamped);
        out.println(stamped);
        out.flush();
    }

    /** Shows a progress bar with {@code label}: redrawn in place on a terminal, a line every 2 s otherwise. */
    public synchronized void progress(int done, int total, String label) {
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, (long) width * done / total);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + label;
        if (terminal) {
            out.print("\r" + bar + "   ");
            progressShown = true;
            out.flush();
        } else if (System.nanoTime() - lastProgressLine > 2_000_000_000L || done == total) {
            lastProgressLine = System.nanoTime();
            out.println(String.format(Locale.ROOT, "        %s", bar));
            out.flush();
        }
    }

    public synchronized void clearProgress() {
        if (progressShown) {
            out.print("\r" + " ".repeat(100) + "\r");
            progressShown = false;
        }
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    synchronized List<String> story() {
        return List.copyOf(story);
    }
}
