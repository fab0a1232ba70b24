package dev.wasmota.broker.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Turns the embedded HiveMQ's chatty INFO logging down to WARN, leaving the application's other loggers alone. */
public final class QuietLogging {

    private static final String[] LOGGERS = {
        "com.hivemq", "jetbrains.exodus", "org.rocksdb", "oshi", "io.netty", "org.jboss", "com.google.inject"
    };

    private QuietLogging() {
    }

    public static void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : LOGGERS) {
                context.getLogger(name).setLevel(Level.WARN);
            }
        }
    }
}
