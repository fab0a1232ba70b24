package dev.wasmota.oem.rxswin;

import dev.wasmota.signing.manifest.Manifest;
import java.util.Optional;

/**
 * A dependency between modules a release declares: the vehicle must run {@code moduleId} at
 * {@code atLeast} or later ({@code moduleId>=version}), checked against the module versions of
 * its last signed configuration before a campaign starts.
 *
 * @param moduleId the module required
 * @param atLeast the lowest version that satisfies it (semantic version)
 */
public record Requirement(String moduleId, String atLeast) {
    public Requirement {
        Rxswin.require(moduleId != null && Manifest.ID.matcher(moduleId).matches(), "required module id '" + moduleId + "'");
        Rxswin.require(atLeast != null && atLeast.length() <= Manifest.MAX_VERSION_LENGTH
                && Manifest.SEMVER.matcher(atLeast).matches(), "required version '" + atLeast + "'");
    }

    /** Parses {@code MODULE>=VERSION}, e.g. {@code can-gateway>=2.1.0}. */
    public static Requirement parse(String text) {
        int at = text == null ? -1 : text.indexOf(">=");
        Rxswin.require(at > 0, "requirement '" + text + "' (expected MODULE>=VERSION, e.g. can-gateway>=2.1.0)");
        return new Requirement(text.substring(0, at).strip(), text.substring(at + 2).strip());
    }

    /** Empty if {@code running} (the vehicle's version of the module, if it runs it) satisfies it, else why not. */
    public Optional<String> unmetBy(Optional<String> running) {
        if (running.isEmpty()) {
            return Optional.of("requires " + this + "; the vehicle runs no " + moduleId);
        }
        if (!Manifest.SEMVER.matcher(running.get()).matches() || compare(running.get(), atLeast) < 0) {
            return Optional.of("requires " + this + "; the vehicle runs " + moduleId + " " + running.get());
        }
        return Optional.empty();
    }

    /** Semantic-version precedence (semver.org 11): numeric core, then a pre-release below its release; build ignored. */
    static int compare(String a, String b) {
        String[] x = core(a);
        String[] y = core(b);
        for (int i = 0; i < 3; i++) {
            int c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return comparePre(x[3], y[3]);
    }

    private static String[] core(String v) {
        int plus = v.indexOf('+');
        String s = plus < 0 ? v : v.substring(0, plus);
        int dash = s.indexOf('-');
        String pre = dash < 0 ? "" : s.substring(dash + 1);
        String[] n = (dash < 0 ? s : s.substring(0, dash)).split("\\.");
        return new String[] {n[0], n[1], n[2], pre};
    }

    private static int comparePre(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty() ? 0 : a.isEmpty() ? 1 : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean nx = x[i].chars().allMatch(Character::isDigit);
            boolean ny = y[i].chars().allMatch(Character::isDigit);
            int c = nx && ny ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]))
                    : nx ? -1 : ny ? 1 : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    @Override
    public String toString() {
        return moduleId + ">=" + atLeast;
    }
}
