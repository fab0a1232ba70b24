package dev.wasmota.contract.config;

import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every problem with a set of settings, so that a refusal names all of them at once rather than
 * the first (as Micrometer's {@code validate()} does). Each settings type checks its values into
 * one of these and ends with {@link #orThrow()} (a programming or configuration error) or
 * {@link #orRefuse(Reason)} (input from a user or a peer, refused with its exit code).
 */
public final class Problems {
    private final String what;
    private final List<String> problems = new ArrayList<>();

    private Problems(String what) {
        this.what = what;
    }

    /** Problems with {@code what}, e.g. {@code "host configuration"}. */
    public static Problems of(String what) {
        return new Problems(what);
    }

    /** Records {@code problem} unless {@code ok}. */
    public Problems check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
        return this;
    }

    public Problems add(String problem) {
        problems.add(problem);
        return this;
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    /** {@code invalid WHAT: first; second; ...}. */
    public String message() {
        return "invalid " + what + ": " + String.join("; ", problems);
    }

    /** @throws IllegalArgumentException naming every problem, if there is one */
    public void orThrow() {
        orThrow(IllegalArgumentException::new);
    }

    /** Throws what {@code exception} makes of {@link #message()}, if there is a problem. */
    public <E extends RuntimeException> void orThrow(Function<String, E> exception) {
        if (!problems.isEmpty()) {
            throw exception.apply(message());
        }
    }

    /** @throws RejectedException with {@code reason} naming every problem, if there is one */
    public void orRefuse(Reason reason) {
        if (!problems.isEmpty()) {
            throw new RejectedException(reason, String.join("; ", problems));
        }
    }
}
