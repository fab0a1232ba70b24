package dev.wasmota.ecu.sandbox;

/**
 * Where the lines modules write with {@code ecu.log} go. Called on the module's worker thread,
 * which the watchdog may interrupt: implementations must not block or use interruptible I/O
 * (an interrupted {@code FileChannel} closes itself); hand lines to a queue instead.
 */
@FunctionalInterface
public interface LogSink {
    /** The {@code System.Logger} name module lines go to by default. */
    String LOGGER = "dev.wasmota.ecu.module";

    /** One sanitized line (valid UTF-8, no control characters, at most the host's line limit). */
    void line(String moduleId, String line);

    /** Lines to {@code System.Logger} {@value #LOGGER} at INFO, off the worker thread. */
    static LogSink systemLogger() {
        return AsyncLogSink.SystemLogger.SINK;
    }

    /** Lines to {@code out} as {@code [module] line}, off the worker thread; close it to write what is still queued. */
    static AsyncLogSink printTo(java.io.PrintStream out) {
        return new AsyncLogSink((id, line) -> out.println("[" + id + "] " + line));
    }
}
