package dev.wasmota.oem.rxswin;

import dev.wasmota.oem.release.ReleaseId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a release changes of the vehicle's software identification (UN R156 7.2): from one
 * RXSWIN to another, or none, always with the reason (the impact on type approval as the OEM
 * judged it); and the module versions it requires on the vehicle.
 *
 * @param release the release
 * @param from the RXSWIN a vehicle must run to take it; empty when it changes none
 * @param to the RXSWIN the vehicle runs after it; empty when it changes none
 * @param reason why (required, one line)
 * @param requires the module versions it needs on the vehicle, possibly none
 * @param statedAt when it was stated
 */
public record RxswinChange(ReleaseId release, Optional<String> from, Optional<String> to, String reason,
                           List<Requirement> requires, Instant statedAt) {
    /** Longest reason. */
    public static final int MAX_REASON = 500;
    /** Most requirements of one release. */
    public static final int MAX_REQUIRES = 16;

    public RxswinChange {
        Rxswin.require(from.isPresent() == to.isPresent(), "RXSWIN change: give both --from and --to, or --none");
        from.ifPresent(Rxswin::requireId);
        to.ifPresent(Rxswin::requireId);
        Rxswin.require(from.isEmpty() || !from.equals(to), "RXSWIN change from " + from.orElse("") + " to itself (use --none)");
        reason = reason == null ? "" : reason.strip();
        Rxswin.require(!reason.isEmpty(), "RXSWIN change: the reason is required (why it changes, or why not)");
        Rxswin.require(reason.length() <= MAX_REASON && reason.chars().noneMatch(Character::isISOControl),
                "reason (one line, at most " + MAX_REASON + " characters)");
        requires = List.copyOf(requires);
        Rxswin.require(requires.size() <= MAX_REQUIRES, "at most " + MAX_REQUIRES + " requirements");
    }

    /** Whether the release changes the RXSWIN. */
    public boolean changes() {
        return to.isPresent();
    }

    /** {@code R1 -> R2} or {@code none}. */
    public String summary() {
        return changes() ? from.get() + " -> " + to.get() : "none";
    }
}
