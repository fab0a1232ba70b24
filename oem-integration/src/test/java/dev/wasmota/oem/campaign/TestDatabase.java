package dev.wasmota.oem.campaign;

import dev.wasmota.testkit.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the OEM's tests run on, each test on a new empty one: H2 in memory (the embedded
 * default, kept open until the JVM exits so a test can close and reopen it) and PostgreSQL (a schema
 * of its own on the one server {@link PostgresServer#shared()} this JVM starts). A test class runs
 * on both with {@code @ParameterizedClass @EnumSource(TestDatabase.class)} and a
 * {@code @Parameter TestDatabase database} field.
 */
public enum TestDatabase {
    H2 {
        @Override
        public String freshUrl() {
            return "jdbc:h2:mem:oem-test-" + NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        }
    },
    POSTGRESQL {
        @Override
        public String freshUrl() {
            return PostgresServer.shared().freshSchemaUrl();
        }
    };

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The URL of a new, empty database of this kind. */
    public abstract String freshUrl();
}
