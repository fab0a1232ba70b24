package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.oem.owner.FileModuleOwners;
import dev.wasmota.oem.owner.ModuleOwners;
import dev.wasmota.oem.owner.ModuleOwnership;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.oem.vectors.AcceptanceSelection;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.ReleaseAttributes.CompiledOutput;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.oem.policy.OemPolicy;
import dev.wasmota.oem.sbom.SbomCheck;
import dev.wasmota.signing.wasm.DeclaredResources;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.asn1.cms.AttributeTable;

/**
 * The OEM's intake: takes a supplier's signed package (and its test vectors), runs every
 * {@link IntakeCheck} in order in the vehicle's own sandbox configuration, and countersigns it
 * with the release key only if all pass, stating the digest of the vehicle compiler's output so
 * that each vehicle can check its own compilation against it. One entry point:
 * {@link #integrate}. Refusals come back as values in the {@link IntakeResult}, with the report.
 *
 * <p>The checks that run the module in the sandbox confirm timing verdicts by running again with
 * the same inputs before they refuse (see {@link BehaviourChecks}).
 *
 * <p>A module id belongs to the supplier whose package of it was first countersigned, until the
 * OEM transfers it ({@link ModuleOwners}); the countersignature states the owner and its
 * transfers, so vehicles can refuse a takeover the intake did not see.
 */
public final class IntakePipeline {
    private final OemPki pki;
    private final IntakeOptions options;
    private final IntakeAudit audit;
    private final ModuleOwners owners;
    private final SbomCheck sbom;

    /** An intake keeping module owners in the OEM directory {@code pki} was loaded from ({@link FileModuleOwners}). */
    public IntakePipeline(OemPki pki, IntakeOptions options) {
        this(pki, options, FileModuleOwners.in(pki.directory()));
    }

    public IntakePipeline(OemPki pki, IntakeOptions options, ModuleOwners owners) {
        this.pki = Objects.requireNonNull(pki, "pki");
        this.options = Objects.requireNonNull(options, "options");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.audit = new IntakeAudit(options.audit(), options.actor());
        this.sbom = new SbomCheck(OemPolicy.load(pki.directory()));
    }

    /** Integrates a package held in memory. */
    public IntakeResult integrate(ModulePackage pkg, Optional<byte[]> vectorsJson) {
        return integrate(PackageFile.toBytes(pkg), vectorsJson);
    }

    /**
     * Runs the intake on a package file's bytes and, when given, a CONTRACT test-vector file's
     * bytes; records the outcome in the audit log before returning it.
     */
    public IntakeResult integrate(byte[] packageFile, Optional<byte[]> vectorsJson) {
        try (IntakeRun run = new IntakeRun(packageFile, options.clock().instant(), options.listener(),
                options.moduleLog())) {
            try {
                run.check(IntakeCheck.SUPPLIER_SIGNATURE, () -> supplier(run));
                run.check(IntakeCheck.MODULE_OWNER, () -> owner(run));
                run.check(IntakeCheck.SBOM, () -> sbom.check(run.manifest(), run.pkg).detail());
                moduleChecks(options, run, vectorsJson);
                run.check(IntakeCheck.COUNTERSIGN, () -> countersign(run));
            } catch (RejectedException e) {
                IntakeReport report = run.report(Optional.empty());
                audit.rejected(report, e);
                return IntakeResult.rejected(report, e);
            }
            IntakeReport report = run.report(Optional.of(run.release.sha256()));
            audit.accepted(report, run.owner.filter(ModuleOwners.Claim::firstOwner).map(ModuleOwners.Claim::ownership));
            return IntakeResult.accepted(report, run.release);
        }
    }

    /**
     * The checks of the module itself, from WASM to timing, in the vehicle's sandbox: everything
     * the intake judges that needs neither the OEM's keys nor its records, so a supplier's
     * rehearsal ({@link IntakeRehearsal}) runs exactly these. {@code run} holds the manifest and module.
     */
    static void moduleChecks(IntakeOptions options, IntakeRun run, Optional<byte[]> vectorsJson) {
        run.check(IntakeCheck.WASM, () -> wasm(options, run));
        run.check(IntakeCheck.EXPORTS, () -> exports(run));
        run.check(IntakeCheck.COMPILE, () -> compile(options, run));
        BehaviourChecks behaviour = new BehaviourChecks(options, run);
        run.check(IntakeCheck.WARMUP, () -> behaviour.warmup(vectorsJson));
        if (vectorsJson.isPresent()) {
            run.check(IntakeCheck.VECTORS, () -> behaviour.vectors(vectorsJson.get()));
        } else {
            run.skip(IntakeCheck.VECTORS, "no test vectors given");
        }
        run.check(IntakeCheck.SOAK, behaviour::soak);
        run.check(IntakeCheck.TIMING, behaviour::timing);
    }

    private String supplier(IntakeRun run) {
        run.pkg = PackageFile.fromBytes(run.packageBytes);
        VerifiedPackage v = new PackageVerifier(pki.trustStore(), options.clock()).verifySupplier(run.pkg);
        if (v.release().isPresent()) {
            throw new RejectedException(IntakeFailure.ALREADY_COUNTERSIGNED, "the package already carries an OEM"
                    + " countersignature; submit the supplier-signed package");
        }
        run.manifest = v.manifest();
        run.wasm = v.wasm();
        Manifest m = v.manifest();
        return "signed by " + CertIssuer.commonName(v.supplier()).orElse("?") + " (certificate serial "
                + v.supplier().getSerialNumber().toString(16) + ", valid until " + v.supplier().getNotAfter().toInstant()
                + "), chain to the OEM root; module sha256 and length match; capabilities [" + m.capabilities()
                + "] within the certificate's [" + ChainValidator.permittedCapabilities(v.supplier()) + "]";
    }

    /** Refuses early what the claim at countersigning would refuse; the claim decides, atomically. */
    private String owner(IntakeRun run) {
        Manifest m = run.manifest();
        Optional<ModuleOwnership> owner = owners.find(m.moduleId());
        if (owner.isEmpty()) {
            return "first package of module " + m.moduleId() + ": " + m.supplierId() + " becomes its owner if countersigned";
        }
        owner.get().requireAdmits(m.supplierId(), m.securityVersion());
        owner.get().statement(pki.release().cert());
        ModuleOwnership o = owner.get();
        return "module " + m.moduleId() + " belongs to " + o.supplierId() + " since " + o.since()
                + (o.transfers().isEmpty() ? "" : " (transferred from " + o.transfers().get(o.transfers().size() - 1).from()
                + "; releases start at security version " + o.floor() + ")");
    }

    private static String wasm(IntakeOptions options, IntakeRun run) {
        Manifest m = run.manifest();
        m.resources().requireWithin(options.resourceCeilings(), "the vehicle hosts' ceilings");
        DeclaredResources declared = DeclaredResources.of(run.wasm)
                .requireWithin(m.resources(), "its manifest's caps");
        run.iface = ModuleInterface.read(run.wasm).checkAgainst(m.capabilities());
        int cap = Math.min(m.memoryPages(), options.hostMemoryPages());
        int initial = run.iface.declaredMemory().map(l -> l.initialPages()).orElse(0);
        if (initial > cap) {
            throw new RejectedException(PolicyFailure.MEMORY_LIMIT, "the module needs " + initial
                    + " memory pages at start; the manifest and host allow " + cap);
        }
        List<String> imports = run.iface.imports().stream().map(i -> i.module() + "." + i.name()).distinct().toList();
        return "valid WebAssembly (" + m.wasmLength() + " bytes, no start function, one unshared memory at most); "
                + "imports " + imports + " granted by [" + m.capabilities() + "]; tick and init of the host's types; "
                + initial + " of " + cap + " memory pages at start; declares " + declared.describe()
                + ", within its caps (" + m.resources().describe() + ")";
    }

    private static String exports(IntakeRun run) {
        Map<String, FunctionType> declared = new TreeMap<>();
        run.manifest().exports().forEach(e -> declared.put(e.name(), e.type()));
        Map<String, FunctionType> actual = new TreeMap<>();
        run.iface.exports().forEach(e -> actual.put(e.name(), e.type()));
        List<String> problems = new ArrayList<>();
        declared.keySet().stream().filter(n -> !actual.containsKey(n))
                .forEach(n -> problems.add(n + " is declared but not exported"));
        actual.keySet().stream().filter(n -> !declared.containsKey(n))
                .forEach(n -> problems.add(n + " is exported but not declared"));
        declared.forEach((n, t) -> {
            if (actual.containsKey(n) && !actual.get(n).equals(t)) {
                problems.add(n + " is declared " + t + " but the module's is " + actual.get(n));
            }
        });
        if (!problems.isEmpty()) {
            throw new RejectedException(PolicyFailure.EXPORT_MISMATCH, "the manifest's exports differ from the module's: "
                    + String.join("; ", problems));
        }
        return declared.size() + " function exports match the manifest, names and types: " + declared.keySet();
    }

    private static String compile(IntakeOptions options, IntakeRun run) {
        Manifest m = run.manifest();
        byte[] wasm = run.wasm;
        CompiledModule compiled = CompiledModule.compile(wasm, m.capabilities(), options.compileBudget());
        long regenerateNanos = 0;
        if (options.recompile()) {
            long start = System.nanoTime();
            String again = CompiledModule.regeneratedSha256(wasm, options.compileBudget());
            regenerateNanos = System.nanoTime() - start;
            if (!again.equals(compiled.compiledSha256())) {
                throw new RejectedException(IntakeFailure.COMPILE_NOT_REPRODUCIBLE, CompiledOutputDigest.COMPILER
                        + " gave " + compiled.compiledSha256() + " then " + again + " for the same module");
            }
        }
        run.compiled = compiled;
        run.limits = ModuleLimits.of(m, options.hostMemoryPages(), options.resourceCeilings());
        run.compiledSummary = new IntakeReport.Compiled(CompiledOutputDigest.COMPILER, compiled.compiledSha256(),
                compiled.compileNanos(), options.recompile());
        run.soakSandbox = BehaviourChecks.sandbox(run, run.limits);
        return CompiledOutputDigest.COMPILER + " in " + compiled.compileNanos() / 1_000_000 + " ms (bound "
                + options.compileBudget().forModule(wasm.length).toMillis() + " ms), no interpreter fallback; compiled sha256 "
                + compiled.compiledSha256() + (options.recompile() ? " (reproduced by a second generation in "
                + regenerateNanos / 1_000_000 + " ms)" : "")
                + "; instantiates under a cap of " + run.limits.memoryPages() + " pages and "
                + run.limits.resources().tableElements() + " table elements";
    }

    private String countersign(IntakeRun run) {
        Manifest m = run.manifest();
        CompiledOutput stated = new CompiledOutput(CompiledOutputDigest.COMPILER, run.compiled.compiledSha256());
        ModuleOwners.Claim claim = owners.claim(m.moduleId(), m.supplierId(), m.securityVersion(), options.clock().instant());
        ReleaseAttributes.ModuleOwner owner = claim.ownership().statement(pki.release().cert());
        Optional<AcceptanceVectors> acceptance = run.testVectors == null || run.vectors == null || !run.vectors.passed()
                ? Optional.empty() : AcceptanceSelection.of(run.testVectors, run.compiled);
        AttributeTable attributes = ReleaseAttributes.of(stated, owner);
        if (acceptance.isPresent()) {
            attributes = acceptance.get().addTo(attributes);
        }
        ModulePackage release = new PackageSigner(options.clock()).countersign(run.pkg, pki.release().key(),
                pki.release().cert(), attributes);
        VerifiedPackage asVehicle = new PackageVerifier(pki.trustStore(), options.clock()).verify(release);
        if (!ReleaseAttributes.compiledOutput(asVehicle).equals(Optional.of(stated))
                || !ReleaseAttributes.moduleOwner(asVehicle).equals(Optional.of(owner))
                || !AcceptanceVectors.of(asVehicle).equals(acceptance)) {
            throw new IllegalStateException("the countersignature does not carry the statements made");
        }
        run.owner = Optional.of(claim);
        run.release = release;
        return "by " + CertIssuer.commonName(pki.release().cert()).orElse("?") + "; states " + stated.compiler()
                + " output " + stated.sha256() + " and owner " + owner.supplierId()
                + (owner.transfers().isEmpty() ? "" : " with " + owner.transfers().size() + " transfer(s)")
                + (claim.firstOwner() ? " (recorded now)" : "")
                + acceptance.map(a -> "; carries " + a.cases().size() + " acceptance cases (" + a.calls()
                        + " calls) for the vehicle to run before it commits").orElse("")
                + "; release sha256 " + release.sha256()
                + " verifies with both signatures";
    }
}
