package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.wasm.DeclaredResources;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A module checked and compiled to JVM bytecode, once, ready to be instantiated many times (one
 * instance per sandbox, many sandboxes per simulated fleet). Compilation refuses any function
 * Chicory could only run in its interpreter, which cannot be interrupted inside a loop.
 */
public final class CompiledModule {
    /** Largest module accepted, in bytes. */
    public static final int MAX_WASM_BYTES = 16 << 20;

    private static final Pattern FALLBACK_FUNCTION = Pattern.compile("WASM function index: (\\d+)");

    private final String sha256;
    private final ModuleInterface iface;
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final CapabilitySet capabilities;
    private final Map<String, FunctionType> exports;
    private final long compileNanos;
    private final String compiledSha256;
    private final DeclaredResources declared;
    private final InstanceTables.Declared tables;
    private final byte[] serializedOutput;

    private CompiledModule(String sha256, ModuleInterface iface, Function<Instance, Machine> machineFactory,
            CapabilitySet capabilities, Map<String, FunctionType> exports, long compileNanos, String compiledSha256,
            byte[] serializedOutput) {
        this(sha256, iface, machineFactory, capabilities, exports, compileNanos, compiledSha256, serializedOutput,
                DeclaredResources.of(iface.module()), InstanceTables.Declared.of(iface.module()));
    }

    /** {@code declared} and {@code tables} as read from the parsed module before any instance of it existed. */
    private CompiledModule(String sha256, ModuleInterface iface, Function<Instance, Machine> machineFactory,
            CapabilitySet capabilities, Map<String, FunctionType> exports, long compileNanos, String compiledSha256,
            byte[] serializedOutput, DeclaredResources declared, InstanceTables.Declared tables) {
        this.declared = declared;
        this.tables = tables;
        this.sha256 = sha256;
        this.iface = iface;
        this.module = iface.module();
        this.machineFactory = machineFactory;
        this.capabilities = capabilities;
        this.exports = exports;
        this.compileNanos = compileNanos;
        this.compiledSha256 = compiledSha256;
        this.serializedOutput = serializedOutput;
    }

    /**
     * Parses, checks and compiles {@code wasm} for a module granted {@code capabilities}.
     *
     * @throws RejectedException {@link PolicyFailure#INVALID_WASM} for bytes that are not valid
     *     WebAssembly or use a feature the sandbox cannot bound, {@link PolicyFailure#IMPORT_NOT_PERMITTED}
     *     naming every import outside the granted ABI, {@link HostPolicyFailure#INTERPRETER_FALLBACK}
     *     naming a function the compiler cannot take
     */
    public static CompiledModule compile(byte[] wasm, CapabilitySet capabilities) {
        return compile(wasm, capabilities, CompileBudget.DEFAULT);
    }

    /**
     * As {@link #compile(byte[], CapabilitySet)}, under {@code budget}.
     *
     * @throws RejectedException also {@link HostPolicyFailure#COMPILE_TOO_SLOW} past the budget
     */
    public static CompiledModule compile(byte[] wasm, CapabilitySet capabilities, CompileBudget budget) {
        String digest = sha256(wasm);
        return compileChecked(digest, parse(wasm).checkImports(capabilities), capabilities, wasm.length, budget);
    }

    static String sha256(byte[] wasm) {
        if (wasm == null || wasm.length == 0 || wasm.length > MAX_WASM_BYTES) {
            throw new RejectedException(PolicyFailure.INVALID_WASM, "module size "
                    + (wasm == null ? 0 : wasm.length) + " bytes is outside 1.." + MAX_WASM_BYTES);
        }
        return dev.wasmota.contract.Digests.sha256Hex(wasm);
    }

    /** Parses and validates {@code wasm} and refuses features the sandbox cannot bound. */
    static ModuleInterface parse(byte[] wasm) {
        return ModuleInterface.read(wasm).checkFeatures();
    }

    static CompiledModule compileChecked(String digest, ModuleInterface iface, CapabilitySet capabilities,
            long wasmBytes, CompileBudget budget) {
        WasmModule module = iface.module();
        long start = System.nanoTime();
        ModuleCompiler.Output out;
        try {
            out = ModuleCompiler.compile(module, wasmBytes, budget);
        } catch (RejectedException | java.util.concurrent.CancellationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw refusal(module, e);
        }
        return new CompiledModule(digest, iface, out.factory(), capabilities, exportsOf(iface),
                System.nanoTime() - start, out.sha256(), out.serialized());
    }

    /**
     * The module from a stored compiler output whose digest the caller checked against the OEM's
     * countersigned statement for this very module: loaded, not compiled.
     */
    static CompiledModule load(String digest, ModuleInterface iface, CapabilitySet capabilities, CompilerOutput verified) {
        long start = System.nanoTime();
        ModuleCompiler.Output out = ModuleCompiler.load(iface.module(), verified);
        return new CompiledModule(digest, iface, out.factory(), capabilities, exportsOf(iface), System.nanoTime() - start,
                out.sha256(), out.serialized());
    }

    /**
     * The digest a second compilation of {@code wasm} gives, parsed again and generated without
     * loading: what the intake compares with the first to confirm the compiler is deterministic
     * for this module, for about half a full compilation or less (no class loading or verification).
     *
     * @throws RejectedException as {@link #compile} does
     */
    public static String regeneratedSha256(byte[] wasm, CompileBudget budget) {
        sha256(wasm);
        WasmModule module = parse(wasm).module();
        try {
            return ModuleCompiler.generate(module, wasm.length, budget).sha256();
        } catch (RejectedException | java.util.concurrent.CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw refusal(module, e);
        }
    }

    private static Map<String, FunctionType> exportsOf(ModuleInterface iface) {
        Map<String, FunctionType> exports = new LinkedHashMap<>();
        iface.exports().forEach(e -> exports.put(e.name(), e.type()));
        return Collections.unmodifiableMap(exports);
    }

    /**
     * This compiled module checked against another capability set, sharing the compiled code.
     *
     * @throws RejectedException {@link PolicyFailure#IMPORT_NOT_PERMITTED} if those do not cover the imports
     */
    public CompiledModule withCapabilities(CapabilitySet other) {
        if (other.equals(capabilities)) {
            return this;
        }
        iface.checkImports(other);
        return new CompiledModule(sha256, iface, machineFactory, other, exports, compileNanos, compiledSha256,
                serializedOutput, declared, tables);
    }

    /**
     * Hex SHA-256 of the JVM bytecode the compiler produced ({@link CompiledOutputDigest}): equal
     * for equal input on every machine, so the OEM's record of it can be checked by the vehicle.
     */
    public String compiledSha256() {
        return compiledSha256;
    }

    /**
     * What the compiler produced, serialized (a jar, as Chicory reads it back): what a vehicle
     * keeps beside the slot. Loaded from a kept copy, the bytes of that copy (whose digest was
     * checked; any later load checks it again). A copy.
     */
    public byte[] serializedOutput() {
        return serializedOutput.clone();
    }

    /** Lowercase hex SHA-256 of the module's bytes. */
    public String sha256() {
        return sha256;
    }

    /** The capabilities the imports were checked against; the sandbox's host functions honour exactly these. */
    public CapabilitySet capabilities() {
        return capabilities;
    }

    /** The exported functions and their types, in export order. */
    public Map<String, FunctionType> exports() {
        return exports;
    }

    public Optional<FunctionType> exportType(String name) {
        return Optional.ofNullable(exports.get(name));
    }

    /** Wall time the compilation (or the load of a stored output) took. */
    public long compileNanos() {
        return compileNanos;
    }

    /** The declared limits of memory 0, if the module has a memory. */
    Optional<MemoryLimits> declaredMemory() {
        return iface.declaredMemory();
    }

    /** What the module declares besides memory (tables, globals, segments), as read before any instance existed. */
    public DeclaredResources declaredResources() {
        return declared;
    }

    /**
     * A bare instance of this very compiled code outside any sandbox: no worker thread, no
     * deadline, only {@code limits}' caps; what {@code ota bench compute} measures the sandbox's
     * own cost against (the same classes, so the same JIT-compiled code). For benchmarks and
     * tools, never for running a supplier's module.
     */
    public Instance bareInstance(ImportValues imports, ModuleLimits limits, MemoryKind memory) {
        return instantiate(imports, limits, new LongAdder(), memory);
    }

    /** A fresh instance: new memory, new globals; no start function runs. */
    Instance instantiate(ImportValues imports, ModuleLimits limits) {
        return instantiate(imports, limits, new LongAdder());
    }

    /**
     * A fresh instance as the module was signed: new memory, globals and segments, its own copies
     * of the tables within {@code limits}; no start function runs. Table grows refused at the cap
     * are counted in {@code refusedGrows}.
     *
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT} before anything is allocated when
     *     the module declares more than {@code limits} allow
     */
    Instance instantiate(ImportValues imports, ModuleLimits limits, LongAdder refusedGrows) {
        return instantiate(imports, limits, refusedGrows, MemoryKind.DEFAULT);
    }

    /** As {@link #instantiate(ImportValues, ModuleLimits, LongAdder)}, its memory held as {@code memory} says. */
    Instance instantiate(ImportValues imports, ModuleLimits limits, LongAdder refusedGrows, MemoryKind memory) {
        declared.requireWithin(limits.resources(), "its caps");
        Instance.Builder builder = Instance.builder(module)
                .withImportValues(imports)
                .withMachineFactory(machineFactory)
                .withMemoryFactory(memory.factory())
                .withTableFactory(tables.forInstance(limits.resources().tableElements(), refusedGrows))
                .withStart(false);
        declaredMemory().ifPresent(declaredLimits -> builder.withMemoryLimits(limits.memoryLimits(declaredLimits)));
        return builder.build();
    }

    private static RejectedException refusal(WasmModule module, Throwable e) {
        Matcher m = FALLBACK_FUNCTION.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            return new RejectedException(PolicyFailure.INVALID_WASM, "cannot be compiled: " + e.getMessage(), e);
        }
        int index = Integer.parseInt(m.group(1));
        return new RejectedException(HostPolicyFailure.INTERPRETER_FALLBACK, "function " + functionName(module, index)
                + " is too large to compile to JVM bytecode and would run in the interpreter,"
                + " where a deadline cannot stop it", e);
    }

    /** {@code index N ("name")} with the name from the name section or an export, when there is one. */
    static String functionName(WasmModule module, int index) {
        String name = module.nameSection() == null ? null : module.nameSection().nameOfFunction(index);
        for (int i = 0; name == null && i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() == ExternalType.FUNCTION && e.index() == index) {
                name = e.name();
            }
        }
        return "index " + index + (name == null ? "" : " (\"" + name + "\")");
    }
}
