package dev.wasmota.ecu.sandbox;

/**
 * Where the lines modules write with {@code ecu.log} go. Called on the module's worker thread,
 * which the watchdog may interrupt: implementations must not block or use interruptible I/O
 * (an interrupted {@code FileChannel} closes itself); hand lines to a queue instead.
 */
@FunctionalInterface
public interface LogSink {
    /** One sanitized line (valid UTF-8, no control characters, at most the host's line limit). */
    void line(String moduleId, String line);

    /** Lines to {@code System.Logger} "dev.wasmota.ecu.module" at INFO. */
    static LogSink systemLogger() {
        System.Logger logger = System.getLogger("dev.wasmota.ecu.module");
        return (id, line) -> logger.log(System.Logger.Level.INFO, "[{0}] {1}", id, line);
    }
}
