package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.oem.vectors.CaseResult;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.vectors.VectorReport;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state of one intake as its checks fill it in: what each check found, for the next check and
 * for the report. Runs each check, times it, tells the listener, and records a refusal.
 */
final class IntakeRun implements AutoCloseable {
    /** Module log lines kept in the report. */
    static final int MAX_LOG_LINES = 100;

    final byte[] packageBytes;
    final String packageSha256;
    final Instant time;
    private final IntakeListener listener;
    private final LogSink forward;
    private final List<CheckResult> checks = new ArrayList<>();
    private final List<String> moduleLog = Collections.synchronizedList(new ArrayList<>());
    private final List<SandboxedModule> sandboxes = new ArrayList<>();

    ModulePackage pkg;
    /** The manifest the checks judge: authenticated by the supplier signature at the OEM; in a supplier's rehearsal only parsed. */
    Manifest manifest;
    /** The module, whose length and SHA-256 match {@link #manifest}. */
    byte[] wasm;
    ModuleInterface iface;
    CompiledModule compiled;
    ModuleLimits limits;
    /** Built (instantiated) by the compile check, left untouched for the soak. */
    SandboxedModule soakSandbox;
    IntakeReport.Compiled compiledSummary;
    TestVectors testVectors;
    Warmup warmup;
    VectorReport vectors;
    long seed;
    CanInputs inputs;
    Soak soak;
    IntakeReport.SoakSummary soakSummary;
    IntakeReport.Timing timing;
    ModulePackage release;
    /** The module's ownership as the countersignature states it, once countersigned. */
    Optional<dev.wasmota.oem.owner.ModuleOwners.Claim> owner = Optional.empty();
    RejectedException rejection;
    IntakeCheck refusedAt;

    IntakeRun(byte[] packageBytes, Instant time, IntakeListener listener, LogSink forward) {
        this.packageBytes = packageBytes.clone();
        this.packageSha256 = Digests.sha256Hex(packageBytes);
        this.time = time;
        this.listener = listener;
        this.forward = forward;
    }

    /** Runs {@code step}, which returns its one-line finding or throws the refusal. */
    void check(IntakeCheck check, Supplier<String> step) {
        listener.started(check);
        long start = System.nanoTime();
        try {
            String detail = step.get();
            record(new CheckResult(check, CheckResult.Status.OK, detail, System.nanoTime() - start));
        } catch (RejectedException e) {
            rejection = e;
            refusedAt = check;
            record(new CheckResult(check, CheckResult.Status.FAILED, e.userMessage(), System.nanoTime() - start));
            throw e;
        }
    }

    void skip(IntakeCheck check, String why) {
        listener.started(check);
        record(new CheckResult(check, CheckResult.Status.SKIPPED, why, 0));
    }

    private void record(CheckResult r) {
        checks.add(r);
        listener.finished(r);
    }

    Manifest manifest() {
        return manifest;
    }

    /** Where the module's log lines go: the report keeps the first ones, the options' sink gets all. */
    LogSink log() {
        return (id, line) -> {
            if (moduleLog.size() < MAX_LOG_LINES) {
                moduleLog.add(line);
            }
            forward.line(id, line);
        };
    }

    /** A sandbox closed with this run. */
    SandboxedModule keep(SandboxedModule sandbox) {
        sandboxes.add(sandbox);
        return sandbox;
    }

    IntakeReport report(Optional<String> releaseSha256) {
        List<CheckResult> all = new ArrayList<>(checks);
        for (IntakeCheck c : IntakeCheck.values()) {
            if (all.stream().noneMatch(r -> r.check() == c)) {
                all.add(new CheckResult(c, CheckResult.Status.NOT_RUN, "", 0));
            }
        }
        Optional<IntakeReport.ModuleSummary> module = Optional.ofNullable(manifest).map(IntakeRun::summary);
        Optional<IntakeReport.Rejection> refusal = Optional.ofNullable(rejection).map(e -> new IntakeReport.Rejection(
                refusedAt.label(), e.reason().name(), e.exitCode().code(), e.getMessage()));
        List<CaseResult> cases = vectors == null ? List.of() : vectors.cases();
        return new IntakeReport(time, rejection == null && release != null, packageSha256, packageBytes.length,
                releaseSha256, module, all, refusal, cases, Optional.ofNullable(soakSummary), Optional.ofNullable(timing),
                Optional.ofNullable(compiledSummary), new ArrayList<>(moduleLog));
    }

    private static IntakeReport.ModuleSummary summary(Manifest m) {
        return new IntakeReport.ModuleSummary(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(),
                m.wasmSha256(), m.wasmLength(), m.capabilities().canonical(), m.memoryPages(), m.deadlineUs(),
                m.periodMs());
    }

    @Override
    public void close() {
        sandboxes.forEach(SandboxedModule::close);
    }
}
