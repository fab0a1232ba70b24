package dev.wasmota.sim;

import java.io.PrintWriter;

/** The narrator for a command's output: a progress bar redrawn in place when the output is a terminal. */
public final class SimOutput {
    private SimOutput() {
    }

    public static Narrator narrator(PrintWriter out) {
        return new Narrator(out, System.console() != null);
    }
}
