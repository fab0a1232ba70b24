package dev.wasmota.ecu;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.IoTap;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.EcuAbi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One shadow beside its module's active version. After each active tick (told on the active's
 * worker thread, {@link #activeTicked}), the active's reads of that tick are loaded into the
 * shadow's own buses ({@link ShadowInputs}) and the shadow's {@code tick()} is queued on its own
 * worker; when it returns, both versions' writes of that tick are compared under the tolerance.
 * The active's thread only records and queues: it never waits for the shadow, and nothing the
 * shadow does (a fault, a runaway, a slow call) reaches the active sandbox, which is another
 * instance on another thread. A shadow still busy when the next active tick ends skips that tick.
 *
 * <p>When the rule decides (or the shadow can no longer pass), {@code decided} is told once, on
 * the caller's executor: the host promotes through the normal install path or discards.
 */
final class ShadowRun {
    /** Call times kept for the percentiles (the latest). */
    static final int MAX_SAMPLES = 10_000;

    /** What the rule decided. */
    enum Decision {
        PROMOTE, DISCARD
    }

    final String moduleId;
    final String activeVersion;
    final String shadowVersion;
    final byte[] packageBytes;
    final InstallContext ctx;
    private final SandboxedModule active;
    private final SandboxedModule shadow;
    private final ShadowInputs inputs;
    private final ShadowSpec spec;
    private final BiConsumer<ShadowRun, Decision> decided;
    private final TickIo.Recorder activeIo = new TickIo.Recorder();
    private final TickIo.Recorder shadowIo = new TickIo.Recorder();
    private final long[] activeTimes = new long[MAX_SAMPLES];
    private final long[] shadowTimes = new long[MAX_SAMPLES];
    private final List<ShadowReport.Example> examples = new ArrayList<>();
    private long activeTicks;
    private long compared;
    private long agreements;
    private long disagreements;
    private long shadowFaults;
    private long activeFaults;
    private long skipped;
    private int activeSamples;
    private int shadowSamples;
    private boolean inFlight;
    /** Whether a whole active tick has been recorded: the tap is attached at any moment, possibly mid-tick. */
    private boolean primed;
    private ShadowReport.State state = ShadowReport.State.RUNNING;
    private boolean deciding;
    private String reason = "";

    ShadowRun(String moduleId, String activeVersion, String shadowVersion, byte[] packageBytes, InstallContext ctx,
            SandboxedModule active, SandboxedModule shadow, ShadowInputs inputs, ShadowSpec spec,
            BiConsumer<ShadowRun, Decision> decided) {
        this.moduleId = moduleId;
        this.activeVersion = activeVersion;
        this.shadowVersion = shadowVersion;
        this.packageBytes = packageBytes.clone();
        this.ctx = ctx;
        this.active = active;
        this.shadow = shadow;
        this.inputs = inputs;
        this.spec = spec;
        this.decided = decided;
    }

    /** Starts recording the active module's accesses and the shadow's writes. */
    void attach() {
        shadow.hostFunctions().tap(shadowIo);
        active.hostFunctions().tap(activeIo);
    }

    /** The active sandbox this shadow compares against. */
    SandboxedModule active() {
        return active;
    }

    /** The shadow's sandbox. */
    SandboxedModule shadow() {
        return shadow;
    }

    /** An active tick ended with {@code r}: on the active's worker thread; records and queues, never waits. */
    void activeTicked(CallResult r) {
        TickIo io = activeIo.take();
        long tick;
        synchronized (this) {
            if (state != ShadowReport.State.RUNNING || deciding) {
                return;
            }
            if (!primed) {
                primed = true; // the tick the tap was attached in was recorded in part: not comparable
                return;
            }
            tick = ++activeTicks;
            if (!r.ok()) {
                activeFaults++;
                return;
            }
            if (inFlight) {
                skipped++;
                return;
            }
            inFlight = true;
            activeSamples = sample(activeTimes, activeSamples, r.elapsedNanos());
        }
        inputs.load(io, active.hostFunctions().clockMicros());
        shadowIo.take();
        CompletableFuture<CallResult> f;
        try {
            f = shadow.submit(EcuAbi.TICK);
        } catch (IllegalStateException | IllegalArgumentException e) {
            synchronized (this) {
                inFlight = false;
            }
            decide(Decision.DISCARD, "the shadow takes no calls: " + e.getMessage());
            return;
        }
        f.whenComplete((result, error) -> shadowTicked(tick, io, result, error));
    }

    private void shadowTicked(long tick, TickIo activeIo, CallResult result, Throwable error) {
        TickIo mine = shadowIo.take();
        Decision decision = null;
        String why = null;
        synchronized (this) {
            inFlight = false;
            if (state != ShadowReport.State.RUNNING || deciding) {
                return;
            }
            if (error != null) {
                return;
            }
            if (!result.ok() && !result.fault().blamesModule()) {
                skipped++;
                return;
            }
            if (!result.ok()) {
                shadowFaults++;
                if (shadowFaults > spec.rule().maxFaults()) {
                    decision = Decision.DISCARD;
                    why = "the shadow faulted " + shadowFaults + " times (at most " + spec.rule().maxFaults()
                            + " allowed); last at tick " + tick + ": " + result.fault() + " " + result.detail();
                }
            } else {
                shadowSamples = sample(shadowTimes, shadowSamples, result.elapsedNanos());
                compared++;
                List<ShadowReport.Example> diffs = compare(tick, activeIo, mine);
                if (diffs.isEmpty()) {
                    agreements++;
                } else {
                    disagreements++;
                    for (ShadowReport.Example e : diffs) {
                        if (examples.size() < ShadowReport.MAX_EXAMPLES) {
                            examples.add(e);
                        }
                    }
                }
                if (disagreements > spec.rule().allowedDisagreements()) {
                    decision = Decision.DISCARD;
                    why = "disagreed on " + disagreements + " of " + compared + " compared ticks, more than the "
                            + spec.rule().allowedDisagreements() + " of " + spec.rule().ticks() + " allowed (tolerance "
                            + spec.tolerance() + "); first: " + examples;
                } else if (compared >= spec.rule().ticks()) {
                    decision = Decision.PROMOTE;
                    why = "agreed on " + agreements + " of " + compared + " compared ticks (at most "
                            + spec.rule().allowedDisagreements() + " disagreeing allowed), " + shadowFaults + " faults";
                }
            }
        }
        if (decision != null) {
            decide(decision, why);
        }
    }

    /** The writes of one tick compared: a signal one version wrote and the other did not, or values outside the tolerance. */
    private List<ShadowReport.Example> compare(long tick, TickIo a, TickIo s) {
        List<ShadowReport.Example> out = new ArrayList<>();
        Set<String> signals = new LinkedHashSet<>(a.writes().keySet());
        signals.addAll(s.writes().keySet());
        for (String signal : signals) {
            TickIo.Write wa = a.writes().get(signal);
            TickIo.Write ws = s.writes().get(signal);
            boolean agree = wa != null && ws != null && (wa.can()
                    ? spec.tolerance().agrees(wa.canId(), wa.value(), ws.value())
                    : wa.bytesHex().equals(ws.bytesHex()));
            if (!agree) {
                out.add(new ShadowReport.Example(tick, signal, wa == null ? "none" : wa.text(),
                        ws == null ? "none" : ws.text()));
            }
        }
        return out;
    }

    /** Marks the run decided (once) and tells the host, which acts on its own executor. */
    void decide(Decision decision, String why) {
        if (claim(why)) {
            decided.accept(this, decision);
        }
    }

    /** Stops comparing, for a decision about to be carried out; false if one already was. */
    synchronized boolean claim(String why) {
        if (state != ShadowReport.State.RUNNING || deciding) {
            return false;
        }
        deciding = true;
        reason = why;
        return true;
    }

    synchronized String reason() {
        return reason;
    }

    /** Stops recording (the active keeps running, untouched) and closes the shadow's sandbox. */
    void stop() {
        synchronized (this) {
            deciding = true;
        }
        active.hostFunctions().tap(IoTap.NONE);
        shadow.close();
    }

    /** Records how the run ended. */
    synchronized void finish(ShadowReport.State outcome, String why) {
        state = outcome;
        reason = why;
    }

    /** {@link #stop} and {@link #finish}. */
    void end(ShadowReport.State outcome, String why) {
        stop();
        finish(outcome, why);
    }

    synchronized ShadowReport report() {
        return new ShadowReport(moduleId, activeVersion, shadowVersion, state, activeTicks, compared, agreements,
                disagreements, shadowFaults, activeFaults, skipped, examples, times(activeTimes, activeSamples),
                times(shadowTimes, shadowSamples), reason, spec);
    }

    private static int sample(long[] ring, int count, long nanos) {
        ring[count % ring.length] = nanos;
        return count == Integer.MAX_VALUE ? ring.length : count + 1;
    }

    private static ShadowReport.CallTimes times(long[] ring, int count) {
        if (count == 0) {
            return ShadowReport.CallTimes.NONE;
        }
        Percentiles p = Percentiles.of(java.util.Arrays.copyOf(ring, Math.min(count, ring.length)));
        return new ShadowReport.CallTimes(p.median(), p.percentile(99), p.max());
    }
}
