package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.ColdStart;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.ecu.slots.SlotMetadata;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.wasm.DeclaredResources;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The install path: verify both signatures (nothing parsed before) → the campaign instruction, or
 * the ECU's policy for service operations without one → host policy (hardware, installed supplier,
 * anti-rollback floor, limits; what the module declares within its manifest's caps, read before
 * anything parses it) → compile → the export contract ({@code tick}, {@code init}) → instantiate →
 * the OEM's acceptance vectors in a sandbox of their own ({@link AcceptanceCheck}) → {@code init()}
 * health check → stage in the inactive slot → atomic commit, logged → raise the floor to the
 * lowest security version installed (the new slot is on {@link Probation}). The module proves
 * itself from memory before anything durable changes, so a refused install keeps both the active
 * slot and the rollback target. Every step is logged before it is acknowledged.
 */
final class Installer {
    private final HostConfig config;
    private final SlotStore slots;
    private final HostAudit audit;
    private final InstructionLedger ledger;
    private final java.util.function.Supplier<dev.wasmota.signing.pki.TrustStore> trust;
    private final HostPolicy hostPolicy;
    private final ModuleOwnerPolicy owners;
    private final CompiledClasses classes;

    /** {@code trust} gives the host's trust store in force (root and revocations) at each install. */
    Installer(HostConfig config, SlotStore slots, HostAudit audit,
              java.util.function.Supplier<dev.wasmota.signing.pki.TrustStore> trust) {
        this.config = config;
        this.trust = trust;
        this.slots = slots;
        this.audit = audit;
        this.ledger = new InstructionLedger(config.stateDir());
        this.hostPolicy = HostPolicy.load(config.stateDir());
        this.owners = new ModuleOwnerPolicy(slots, trust);
        this.classes = new CompiledClasses(config, slots, audit);
    }

    /** The ECU's policy for service operations, read from the state directory when the host opened. */
    HostPolicy hostPolicy() {
        return hostPolicy;
    }

    /** A verified package that passed the host's policy, ready to stage. */
    record Plan(VerifiedPackage verified, byte[] packageBytes, String packageSha256, ModuleLimits limits,
                Optional<ModuleState> current) {
        Manifest manifest() {
            return verified.manifest();
        }
    }

    /** Verifies and checks policy without changing anything (and without logging). */
    Plan check(byte[] packageBytes) {
        return policy(verify(packageBytes), packageBytes);
    }

    private VerifiedPackage verify(byte[] packageBytes) {
        return new PackageVerifier(trust.get(), config.clock()).verify(PackageFile.fromBytes(packageBytes));
    }

    private Plan policy(VerifiedPackage verified, byte[] packageBytes) {
        Manifest m = verified.manifest();
        if (!m.hardwareIds().isEmpty()) {
            HostIdentity id = config.identity().orElseThrow(() -> new RejectedException(UpdateFailure.IDENTITY_UNKNOWN,
                    "the package targets hardware " + m.hardwareIds() + " but this ECU's hardware id is not provisioned"));
            if (!m.runsOn(id.hardwareId())) {
                throw new RejectedException(UpdateFailure.WRONG_HARDWARE, "the package targets hardware "
                        + m.hardwareIds() + "; this ECU is " + id.hardwareId());
            }
        }
        owners.check(verified);
        long floor = slots.floor(m.moduleId());
        if (m.securityVersion() < floor) {
            throw new RejectedException(UpdateFailure.ANTI_ROLLBACK, "security version " + m.securityVersion() + " of "
                    + m.moduleId() + " " + m.version() + " is below the floor " + floor);
        }
        ModuleLimits limits = ModuleLimits.of(m, config.hostMemoryPages(), config.resourceCeilings());
        DeclaredResources.of(verified.wasm()).requireWithin(m.resources(), "its manifest's caps");
        return new Plan(verified, packageBytes, Digests.sha256Hex(packageBytes), limits, slots.state(m.moduleId()));
    }

    /**
     * Installs; on success returns the trial sandbox (healthy, ready to run) through
     * {@code activated}, which must take ownership of it.
     */
    InstallResult install(byte[] packageBytes, InstallContext ctx, Consumer<SandboxedModule> activated) {
        long start = System.nanoTime();
        VerifiedPackage verified;
        try {
            verified = verify(packageBytes);
        } catch (RejectedException e) {
            audit.refused(null, ctx, e);
            throw e;
        }
        Optional<Instruction> instruction = Optional.empty();
        Plan plan;
        try {
            if (ctx.instruction().isPresent()) {
                Instruction i = SignedInstruction.open(ctx.instruction().get(), trust.get(), config.clock());
                ctx = ctx.identified(i.campaignId(), i.instructionId());
                instruction = Optional.of(checkInstruction(i, packageBytes));
            } else {
                hostPolicy.requireServiceOperation("installing " + verified.manifest().moduleId() + " "
                        + verified.manifest().version() + " without a campaign instruction");
            }
            plan = policy(verified, packageBytes);
        } catch (RejectedException e) {
            audit.refused(verified.manifest(), ctx, e);
            throw e;
        }
        Manifest m = plan.manifest();
        if (plan.current().isPresent() && plan.current().get().activeMetadata().packageSha256().equals(plan.packageSha256())) {
            instruction.ifPresent(ledger::record);
            return new InstallResult(m.moduleId(), m.version(), Optional.of(m.version()), plan.current().get().active(),
                    InstallResult.Outcome.ALREADY_ACTIVE, 0, ms(start));
        }
        audit.append(audit.update(AuditEvent.VERIFY, m, plan.current(), ctx).outcome(Outcome.SUCCESS)
                .verification("supplier-signature", "ok").verification("oem-countersignature", "ok")
                .verification("certificate-chains", "ok").verification("module-digest", "ok")
                .verification("capabilities-certified", "ok")
                .precondition("hardware", config.identity().map(HostIdentity::hardwareId).orElse("any"))
                .precondition("security-version-floor", Long.toString(slots.floor(m.moduleId()))));
        config.stepHook().reached("install.verified");
        long compileStart = System.nanoTime();
        long compilationsBefore = config.compiledModules().compilations();
        SandboxedModule trial = trial(plan, ctx);
        double compileMs = config.compiledModules().compilations() > compilationsBefore ? ms(compileStart) : 0;
        Slot slot;
        try {
            String accepted = acceptance(trial, plan, ctx);
            healthCheck(trial, plan, ctx);
            slot = stage(plan, ctx);
            String kept = classes.keep(slot, plan.verified(), trial.compiled());
            audit.append(audit.update(AuditEvent.INSTALL_STAGED, m, plan.current(), ctx).outcome(Outcome.SUCCESS)
                    .detail("staged in slot " + slot + "; " + kept + accepted));
        } catch (RuntimeException | Error e) {
            trial.close();
            throw e;
        }
        try {
            ModuleState committed = commit(plan, slot, ctx);
            if (instruction.isPresent()) {
                ledger.record(instruction.get());
                config.stepHook().reached("install.instruction-recorded");
            }
            audit.append(audit.update(AuditEvent.INSTALL_COMMITTED, m, plan.current(), ctx).outcome(Outcome.SUCCESS)
                    .detail("slot " + slot + " active" + (committed.previous() == null ? ""
                            : "; slot " + committed.previous() + " kept as rollback target")
                            + (instruction.isPresent() ? "" : "; a service operation (no campaign instruction)")));
            config.stepHook().reached("install.logged");
            raiseFloor(committed);
        } catch (RuntimeException | Error e) {
            trial.close();
            throw e;
        }
        activated.accept(trial);
        return new InstallResult(m.moduleId(), m.version(),
                plan.current().map(s -> s.activeMetadata().version()), slot, InstallResult.Outcome.COMMITTED, compileMs, ms(start));
    }

    /**
     * Records the instruction that started a shadow run which ended without promotion as carried
     * out, so a replay of it cannot start the discarded shadow again (it is refused as replayed).
     */
    void shadowEnded(InstallContext ctx) {
        if (ctx.instruction().isEmpty()) {
            return;
        }
        try {
            ledger.record(SignedInstruction.open(ctx.instruction().get(), trust.get(), config.clock()));
        } catch (RejectedException e) {
            // it verified when the shadow started; under a newer trust update it no longer does: nothing to record
        }
    }

    /** A release ready to run as a shadow: verified, authorized, accepted and healthy, nothing staged. */
    record Shadow(Manifest manifest, String activeVersion, SandboxedModule sandbox) {
    }

    /**
     * Everything an install checks before it stages, for a release that is to run as a shadow on
     * {@code env} (its own buses): both signatures, the campaign instruction (checked, not yet
     * recorded: the promotion's install records it) or the service-operation policy, the host's
     * policy, compile, acceptance vectors and health check. Refusals are logged as install
     * refusals are. The sandbox returned is the caller's to close.
     */
    Shadow prepareShadow(byte[] packageBytes, InstallContext ctx, dev.wasmota.ecu.sandbox.HostEnvironment env) {
        VerifiedPackage verified;
        try {
            verified = verify(packageBytes);
        } catch (RejectedException e) {
            audit.refused(null, ctx, e);
            throw e;
        }
        Plan plan;
        try {
            if (ctx.instruction().isPresent()) {
                Instruction i = SignedInstruction.open(ctx.instruction().get(), trust.get(), config.clock());
                ctx = ctx.identified(i.campaignId(), i.instructionId());
                checkInstruction(i, packageBytes);
            } else {
                hostPolicy.requireServiceOperation("running " + verified.manifest().moduleId() + " "
                        + verified.manifest().version() + " as a shadow without a campaign instruction");
            }
            plan = policy(verified, packageBytes);
            if (plan.current().isEmpty()) {
                throw new RejectedException(ShadowFailure.NO_ACTIVE_MODULE, "module " + plan.manifest().moduleId()
                        + " has no active version for a shadow to run beside");
            }
            if (plan.current().get().activeMetadata().packageSha256().equals(plan.packageSha256())) {
                throw new RejectedException(ShadowFailure.ALREADY_ACTIVE, plan.manifest().moduleId() + " "
                        + plan.manifest().version() + " is the active version");
            }
        } catch (RejectedException e) {
            audit.refused(verified.manifest(), ctx, e);
            throw e;
        }
        SandboxedModule sandbox = trial(plan, ctx, env, plan.manifest().moduleId() + "#shadow");
        try {
            acceptance(sandbox, plan, ctx);
            healthCheck(sandbox, plan, ctx);
        } catch (RuntimeException | Error e) {
            sandbox.close();
            throw e;
        }
        return new Shadow(plan.manifest(), plan.current().get().activeMetadata().version(), sandbox);
    }

    /** Writes the package into the inactive slot; a refusal there (a full disk) is logged as one. */
    private Slot stage(Plan plan, InstallContext ctx) {
        Manifest m = plan.manifest();
        try {
            return slots.stage(m.moduleId(), plan.packageBytes(), SlotMetadata.forPackage(plan.packageBytes(), m.version(),
                    m.securityVersion(), m.wasmSha256(), config.clock().instant()));
        } catch (RejectedException e) {
            refusedIfLoggable(m, ctx, e);
            throw e;
        }
    }

    private ModuleState commit(Plan plan, Slot slot, InstallContext ctx) {
        try {
            return slots.commit(plan.manifest().moduleId(), slot);
        } catch (RejectedException e) {
            refusedIfLoggable(plan.manifest(), ctx, e);
            throw e;
        }
    }

    /**
     * Logs a refusal; when the log cannot take it either (the disk that refused the slot is full),
     * the refusal still stands and the log's failure rides along as a suppressed exception.
     */
    private void refusedIfLoggable(Manifest m, InstallContext ctx, RejectedException e) {
        try {
            audit.refused(m, ctx, e);
        } catch (RuntimeException logFailure) {
            e.addSuppressed(logFailure);
        }
    }

    /**
     * Checks a signed instruction (already opened: signature and campaign chain verified) against
     * this vehicle, this package and the replay counter. A second delivery of the instruction last
     * carried out passes here, and ends as "already active" when its package is the active one.
     */
    private Instruction checkInstruction(Instruction i, byte[] packageBytes) {
        String vehicle = config.identity().map(HostIdentity::vehicleId).orElseThrow(() -> new RejectedException(
                UpdateFailure.IDENTITY_UNKNOWN, "an instructed install needs this ECU's vehicle id; it is not provisioned"));
        InstructionLedger.Last last = ledger.last();
        boolean redelivery = i.counter() == last.counter() && i.instructionId().equals(last.instructionId())
                && slots.state(i.moduleId()).map(s -> s.activeMetadata().packageSha256()
                        .equals(Digests.sha256Hex(packageBytes))).orElse(false);
        SignedInstruction.check(i, vehicle, Digests.sha256Hex(packageBytes), config.clock().instant(),
                redelivery ? last.counter() - 1 : last.counter());
        return i;
    }

    private SandboxedModule trial(Plan plan, InstallContext ctx) {
        return trial(plan, ctx, config.environment(), plan.manifest().moduleId());
    }

    private SandboxedModule trial(Plan plan, InstallContext ctx, dev.wasmota.ecu.sandbox.HostEnvironment env, String id) {
        Manifest m = plan.manifest();
        try {
            CompiledModule compiled = classes.forInstall(plan.verified());
            ExportContract.check(m, compiled);
            config.stepHook().reached("install.compiled");
            SandboxedModule trial = SandboxedModule.builder(compiled).id(id).limits(plan.limits())
                    .environment(env).coldStart(ColdStart.VEHICLE).build();
            config.stepHook().reached("install.instantiated");
            return trial;
        } catch (RejectedException e) {
            audit.refused(m, ctx, e);
            throw e;
        }
    }

    /**
     * Runs the OEM's acceptance vectors, when its countersignature carries them, on this vehicle's
     * compiled module in a sandbox of their own ({@link AcceptanceCheck}); a failing case refuses
     * the install, logged, before anything durable changes.
     */
    private String acceptance(SandboxedModule trial, Plan plan, InstallContext ctx) {
        Manifest m = plan.manifest();
        try {
            Optional<AcceptanceVectors> vectors = AcceptanceVectors.of(plan.verified());
            if (vectors.isEmpty()) {
                return "";
            }
            String passed = AcceptanceCheck.run(trial.compiled(), plan.limits(), vectors.get(), m.moduleId());
            return "; " + passed;
        } catch (RejectedException e) {
            audit.refused(m, ctx, e);
            throw e;
        }
    }

    private void healthCheck(SandboxedModule trial, Plan plan, InstallContext ctx) {
        Manifest m = plan.manifest();
        CallResult r = trial.init();
        if (!r.ok()) {
            FaultKind kind = r.fault();
            audit.append(audit.update(AuditEvent.HEALTH_CHECK, m, plan.current(), ctx).outcome(Outcome.FAILURE)
                    .cause(kind.name()).detail(r.detail()));
            RejectedException e = new RejectedException(kind.exitCode() == ExitCode.MODULE_FAULT
                    || kind == FaultKind.HOST_OVERLOAD ? kind : FaultKind.HEALTH_CHECK_FAILED, "health check of "
                    + m.moduleId() + " " + m.version() + " failed (" + kind + "): " + r.detail()
                    + "; the active slot is unchanged");
            audit.refused(m, ctx, e);
            throw e;
        }
        audit.append(audit.update(AuditEvent.HEALTH_CHECK, m, plan.current(), ctx).outcome(Outcome.SUCCESS)
                .detail("init() healthy in " + String.format(java.util.Locale.ROOT, "%.2f ms", r.elapsedNanos() / 1e6)));
        config.stepHook().reached("install.health-checked");
    }

    /**
     * Raises the anti-rollback floor to the lowest security version still installed (the new one
     * and the rollback target), so the host can still fall back to its previous slot by itself
     * while anything older than both is refused.
     */
    void raiseFloor(ModuleState state) {
        long wanted = state.activeMetadata().securityVersion();
        if (state.previousMetadata().isPresent()) {
            wanted = Math.min(wanted, state.previousMetadata().get().securityVersion());
        }
        long current = slots.floor(state.moduleId());
        if (wanted > current) {
            slots.raiseFloor(state.moduleId(), wanted);
            audit.append(AuditRecord.builder(AuditEvent.FLOOR_RAISED).moduleId(state.moduleId()).actor(HostAudit.ACTOR)
                    .securityVersion(wanted).outcome(Outcome.SUCCESS).detail("floor " + current + " -> " + wanted));
        }
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
