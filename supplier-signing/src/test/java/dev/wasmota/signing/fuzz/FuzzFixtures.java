package dev.wasmota.signing.fuzz;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the fuzz tests share: one OEM and supplier (the test {@link Fixtures}), built once per JVM
 * in a temp dir, and the one property every target asserts: a refusal carries a named reason.
 */
final class FuzzFixtures {
    /** Built lazily: key generation and a certificate chain take about a second. */
    private static Fixtures fixtures;

    private FuzzFixtures() {
    }

    static synchronized Fixtures fixtures() {
        if (fixtures == null) {
            try {
                Path dir = Files.createTempDirectory("wasmota-fuzz");
                dir.toFile().deleteOnExit();
                fixtures = new Fixtures(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fixtures;
    }

    /** The documented refusal: a reason and a detail. Anything else thrown is a finding. */
    static void assertNamed(RejectedException e) {
        if (e.reason() == null || e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refusal without a reason or detail", e);
        }
    }

    /**
     * Bytes {@code action} allocates on this thread, measured again on a second run when the first
     * is over {@code limit}: a first run also pays for class loading and call-site linkage.
     */
    static long allocation(Runnable action, long limit) {
        long first = measure(action);
        return first <= limit ? first : measure(action);
    }

    private static long measure(Runnable action) {
        long before = allocatedBytes();
        action.run();
        return allocatedBytes() - before;
    }

    /** Bytes allocated so far by the current thread (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
