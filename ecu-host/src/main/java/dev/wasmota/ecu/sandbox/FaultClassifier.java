package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.wasm.ChicoryException;

/** Names what ended a guest call: the one place a Throwable from a module becomes a {@link FaultKind}. */
final class FaultClassifier {
    private FaultClassifier() {
    }

    static FaultKind kind(Throwable t, boolean expired) {
        if (expired || hasCause(t, ChicoryInterruptedException.class)) {
            return FaultKind.DEADLINE_MISS;
        }
        if (hasCause(t, StackOverflowError.class)) {
            return FaultKind.STACK_OVERFLOW;
        }
        if (hasCause(t, OutOfMemoryError.class)) {
            return FaultKind.MEMORY_LIMIT;
        }
        if (t instanceof ChicoryException) {
            return FaultKind.TRAP;
        }
        return FaultKind.INTERNAL_ERROR;
    }

    static String detail(Throwable t) {
        if (t instanceof ChicoryException && t.getMessage() != null) {
            return oneLine(t.getMessage());
        }
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
    }

    private static String oneLine(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
