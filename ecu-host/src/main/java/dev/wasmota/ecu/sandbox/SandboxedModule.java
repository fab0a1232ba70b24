package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.EcuAbi;
import dev.wasmota.signing.manifest.FunctionType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One installed module in its sandbox: one instance with its own linear memory, on its own worker
 * thread ({@code ecu-module-<id>}), every call under the module's deadline. After any fault the
 * instance is discarded and rebuilt from the compiled module, and the fault is returned as a
 * {@link CallResult} and counted. A worker that ignores the interrupt past a grace period is
 * abandoned and replaced, so no call waits forever. Every instance starts from the module as
 * signed, within the limits' caps; the first is built under {@link #INSTANTIATE_BUDGET} (or the
 * builder's), and a sandbox whose instance takes longer is refused.
 */
public final class SandboxedModule implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SandboxedModule.class.getName());
    /**
     * The least budget of the {@code init()} health check: a one-time activation call that also
     * pays for loading and linking the freshly compiled classes.
     */
    public static final Duration INIT_BUDGET = Duration.ofSeconds(1);
    /**
     * How many of its budgets of wall-clock time {@code init()} may take before it is stopped: a
     * one-time call judged by its own CPU time (over {@link #INIT_BUDGET} is a miss however it
     * went), so a loaded machine does not fail an install's health check for its own load.
     */
    public static final int INIT_WALL_BUDGETS = 2;
    /**
     * The least budget of the first call of each other export after activation, for the same
     * reason (cold calls measured 2–30 ms on a loaded 2-core machine): the JVM's cost, not the
     * module's. A runaway's first call is still stopped at this budget; every later call runs
     * under the manifest's deadline, or while the sandbox's {@link ColdStart} allowance lasts under its budget.
     */
    public static final Duration FIRST_CALL_BUDGET = Duration.ofMillis(100);
    /**
     * The default budget for building the first instance: memory, tables, globals and segments
     * within their caps take milliseconds; the rest of this is for loading the compiled classes on
     * a loaded machine.
     */
    public static final Duration INSTANTIATE_BUDGET = Duration.ofSeconds(5);
    private static final FunctionType INIT_TYPE = FunctionType.of(List.of(), List.of("i32"));
    /** The longest {@link #call} looks for the result before it blocks. */
    static final int CALLER_SPIN_NANOS = 5_000;
    /** The shortest: the spin halves each time the result did not come within it, and is back to the longest when it did. */
    static final int MIN_CALLER_SPIN_NANOS = 1_000;

    private final String id;
    private final CompiledModule compiled;
    private final ModuleLimits limits;
    private final HostEnvironment environment;
    private final HostFunctions host;
    private final ImportValues imports;
    private final Watchdog watchdog;
    private final long stopGraceNanos;
    private final long stackSize;
    private final int wallClockAllowance;
    private final long wallClockExtraNanos;
    private final Realtime realtime;
    private final MemoryKind memory;
    private final String threadName;
    private final LongAdder calls = new LongAdder();
    private final AtomicLong builds = new AtomicLong();
    private final LongAdder abandonedWorkers = new LongAdder();
    private final LongAdder refusedTableGrows = new LongAdder();
    private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
    /** The caller's current spin (racy updates between callers are harmless). */
    private int callerSpinNanos = CALLER_SPIN_NANOS;
    private int callerWaits;
    private final ColdStart coldStart;
    /** Calls submitted so far, per export: the first has the first call's budget, the next ones the cold-start allowance's. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> submitted =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** {@link System#nanoTime()} of the first call submitted, or {@link Long#MIN_VALUE} before it. */
    private final AtomicLong firstCallNanos = new AtomicLong(Long.MIN_VALUE);
    private static final long[] NO_ARGS = new long[0];
    /** The last periodic tick started, for {@link #awaitTick} after ticking stopped. */
    private volatile CallTicket lastTick;
    private volatile ModuleWorker worker;
    private volatile boolean closed;
    /** The periodic tick, while the module ticks on its own timer. */
    private volatile TickTimer timer;

    SandboxedModule(SandboxedModuleBuilder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.compiled = b.compiled;
        this.limits = Objects.requireNonNull(b.limits, "limits");
        this.environment = b.environment == null ? HostEnvironment.simulated() : b.environment;
        this.host = new HostFunctions(id, compiled.capabilities(), environment);
        this.imports = host.importValues();
        this.watchdog = b.watchdog == null ? Watchdog.shared() : b.watchdog;
        this.stopGraceNanos = b.stopGrace.toNanos();
        this.stackSize = b.stackSize;
        this.wallClockAllowance = b.wallClockAllowance;
        this.wallClockExtraNanos = b.wallClockExtra.toNanos();
        this.realtime = b.realtime;
        this.memory = b.memory;
        this.coldStart = b.coldStart;
        this.threadName = "ecu-module-" + id.replaceAll("[^A-Za-z0-9._-]", "_");
        for (FaultKind k : FaultKind.values()) {
            faults.put(k, new LongAdder());
        }
        this.worker = new ModuleWorker(this, threadName, stackSize);
        firstInstance(b.instantiateBudget);
    }

    public static SandboxedModuleBuilder builder(CompiledModule compiled) {
        return new SandboxedModuleBuilder(compiled);
    }

    /** Calls {@code export} on the worker and waits for its result (at most deadline + grace). */
    public CallResult call(String export, long... args) {
        return await(submit(export, args), limits.deadlineNanos(), export);
    }

    private CallResult await(CompletableFuture<CallResult> f, long deadlineNanos, String export) {
        spinFor(f);
        try {
            return f.get(deadlineNanos + stopGraceNanos + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + id + "." + export, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result from " + id + "." + export + ": is the watchdog running?", e);
        }
    }

    /**
     * Queues a call of {@code export} on the worker. The future completes with the result (faults
     * included), or exceptionally only if the sandbox is closed before the call runs.
     *
     * @throws IllegalArgumentException if the module has no such export or the arguments do not fit it
     * @throws IllegalStateException if the sandbox is closed or has too many calls queued
     */
    public CompletableFuture<CallResult> submit(String export, long... args) {
        return submit(budget(export), export, args);
    }

    /** The budget of the next call of {@code export}: the first call's, the cold-start allowance's, or the deadline. */
    private long budget(String export) {
        long now = System.nanoTime();
        firstCallNanos.compareAndSet(Long.MIN_VALUE, now);
        int index = submitted.computeIfAbsent(export, e -> new java.util.concurrent.atomic.AtomicInteger())
                .getAndUpdate(n -> n == Integer.MAX_VALUE ? n : n + 1);
        long deadline = limits.deadlineNanos();
        if (index == 0) {
            return Math.max(deadline, FIRST_CALL_BUDGET.toNanos());
        }
        if (coldStart.covers(index, now - firstCallNanos.get())) {
            return Math.max(deadline, coldStart.budget().toNanos());
        }
        return deadline;
    }

    private CompletableFuture<CallResult> submit(long deadlineNanos, String export, long... args) {
        return submit(deadlineNanos, wallLimitNanos(deadlineNanos), export, args);
    }

    private CompletableFuture<CallResult> submit(long deadlineNanos, long wallLimitNanos, String export, long... args) {
        checkCall(export, args);
        CallTicket ticket = new CallTicket(export, args.clone(), deadlineNanos, wallLimitNanos);
        enqueue(ticket);
        return ticket.result;
    }

    /**
     * Calls {@code export} up to {@code times} times in a row on the worker, as one task (no
     * hand-off per call; each call has its own budget, deadline, verdict and count, as with
     * {@link #call}), stopping at the first that fails or whose result {@code proceed} refuses;
     * {@code proceed} runs on the worker before the next call, so must be quick and thread-safe.
     *
     * @return how many calls ran, the last one's result and the worst times
     * @throws IllegalArgumentException if the module has no such export or the arguments do not fit it
     * @throws IllegalStateException if the sandbox is closed, or no call finished for far longer than its budget
     */
    public RepeatedCall.Outcome callRepeatedly(String export, long[] args, int times, Predicate<CallResult> proceed) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        checkCall(export, args);
        RepeatedCall run = new RepeatedCall(this, export, args.clone(), times, proceed);
        submitTask(run);
        long patience = Math.max(limits.deadlineNanos(), FIRST_CALL_BUDGET.toNanos()) * Math.max(1, wallClockAllowance)
                + wallClockExtraNanos + stopGraceNanos + TimeUnit.SECONDS.toNanos(10);
        return run.await(patience, id + "." + export);
    }

    /** Worker side: a ticket for the next call of {@code export}, under its budget (a repeated call's). */
    CallTicket newTicket(String export, long[] args) {
        long budget = budget(export);
        return new CallTicket(export, args, budget, wallLimitNanos(budget));
    }

    private void checkCall(String export, long[] args) {
        FunctionType type = compiled.exportType(export).orElseThrow(() ->
                new IllegalArgumentException("module " + id + " exports no function '" + export + "'"));
        if (args.length != type.params().size()) {
            throw new IllegalArgumentException(
                    export + " takes " + type.params().size() + " arguments, not " + args.length);
        }
    }

    private void submitTask(ModuleWorker.Task task) {
        for (int attempt = 0; ; attempt++) {
            if (closed) {
                throw new IllegalStateException("module " + id + " is closed");
            }
            ModuleWorker w = worker;
            try {
                w.submit(task);
                return;
            } catch (RejectedExecutionException e) {
                if (w == worker || attempt > 0) {
                    throw new IllegalStateException("module " + id + " has too many calls queued", e);
                }
            }
        }
    }

    /**
     * Calls {@code tick()} every {@code periodNanos} from now on, on the worker's own timer: the
     * worker sleeps until a period is due and calls it itself, under the same budgets as
     * {@link #submit}. Each result, and each period skipped because a tick still ran, goes to
     * {@code listener} on the worker thread. Replaces any earlier ticking.
     */
    public void startTicking(long periodNanos, TickTimer.Listener listener) {
        if (compiled.exportType(EcuAbi.TICK).isEmpty()) {
            throw new IllegalArgumentException("module " + id + " exports no function '" + EcuAbi.TICK + "'");
        }
        TickTimer t = new TickTimer(periodNanos, System.nanoTime(), listener);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("module " + id + " is closed");
            }
            stopTicking();
            timer = t;
            worker.tickOn(t);
        }
    }

    /** Stops the periodic tick; one running finishes (see {@link #awaitTick}). */
    public synchronized void stopTicking() {
        TickTimer t = timer;
        if (t != null) {
            t.stopped = true;
            timer = null;
            worker.tickOn(null);
        }
    }

    /** Waits at most {@code nanos} for the last periodic tick to finish. */
    public void awaitTick(long nanos) {
        TickTimer t = timer;
        CallTicket last = t == null ? lastTick : t.last;
        if (last == null) {
            return;
        }
        try {
            last.result.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // its outcome is reported elsewhere; only the wait matters here
        }
    }

    /** Worker side: the ticket of a periodic tick due now. */
    CallTicket newTick() {
        CallTicket ticket = newTicket(EcuAbi.TICK, NO_ARGS);
        lastTick = ticket;
        return ticket;
    }

    /**
     * Whether every call's CPU time is read at its end (under a wall-clock allowance, where a call
     * that returned in time may still have used more than its budget); otherwise only a late or
     * failed call's is, and an ok call, within its wall-clock budget, reports its wall time.
     */
    boolean cpuTimeOfEveryCall() {
        return wallClockAllowance != 1 || wallClockExtraNanos != 0;
    }

    /** How long a call with {@code budgetNanos} may run by the wall clock before it is stopped. */
    long wallLimitNanos(long budgetNanos) {
        if (wallClockAllowance == 1 && wallClockExtraNanos == 0) {
            return budgetNanos;
        }
        return Math.max(Math.multiplyExact(budgetNanos, wallClockAllowance), budgetNanos + wallClockExtraNanos);
    }

    /** Worker side, first thing on a new worker thread: its scheduling policy. */
    void workerStarted(Thread t) {
        realtime.enterQuietly("module " + id);
    }

    /**
     * A short call is usually back within a microsecond or two: look for the result briefly
     * before blocking, so the worker's completion need not wake this thread. Bounded by
     * {@link #CALLER_SPIN_NANOS}, and shrinking to {@link #MIN_CALLER_SPIN_NANOS} while results
     * keep missing it (long calls, or no core free for the worker).
     */
    private void spinFor(CompletableFuture<CallResult> f) {
        int spin = (++callerWaits & 7) == 0 ? CALLER_SPIN_NANOS : callerSpinNanos;
        long until = System.nanoTime() + spin;
        while (!f.isDone()) {
            if (System.nanoTime() - until >= 0) {
                callerSpinNanos = Math.max(MIN_CALLER_SPIN_NANOS, callerSpinNanos / 2);
                return;
            }
            Thread.onSpinWait();
        }
        callerSpinNanos = CALLER_SPIN_NANOS;
    }

    /**
     * The health check: {@code init()} must return 0; a module without {@code init} is healthy.
     * It runs under {@code max(deadline, INIT_BUDGET)} of its own CPU time: a one-time activation
     * call that also pays for loading the freshly compiled classes, still stopped if it runs away,
     * at {@link #INIT_WALL_BUDGETS} times that by the wall clock.
     */
    public CallResult init() {
        var type = compiled.exportType(EcuAbi.INIT);
        if (type.isEmpty()) {
            return CallResult.ok(EcuAbi.INIT, new long[0], 0);
        }
        if (!type.get().equals(INIT_TYPE)) {
            return counted(CallResult.fault(EcuAbi.INIT, FaultKind.HEALTH_CHECK_FAILED,
                    "init has type " + type.get() + ", expected " + INIT_TYPE, 0, 0));
        }
        long budget = Math.max(limits.deadlineNanos(), INIT_BUDGET.toNanos());
        long wall = INIT_WALL_BUDGETS * wallLimitNanos(budget);
        CallResult r = await(submit(budget, wall, EcuAbi.INIT), wall, EcuAbi.INIT);
        if (r.ok() && (int) r.value(0) != 0) {
            return counted(CallResult.fault(EcuAbi.INIT, FaultKind.HEALTH_CHECK_FAILED,
                    "init returned " + (int) r.value(0), r.elapsedNanos(), 0));
        }
        return r;
    }

    /** Discards the instance's state: a fresh instance as if just installed. */
    public void reset() {
        await(worker.reset());
    }

    /** Current size of the instance's memory, in pages. */
    public int memoryPages() {
        return onWorker(i -> i.memory() == null ? 0 : i.memory().pages());
    }

    /** A copy of {@code length} bytes of the instance's memory at {@code offset}. */
    public byte[] readMemory(int offset, int length) {
        return onWorker(i -> i.memory().readBytes(offset, length));
    }

    public String id() {
        return id;
    }

    public CompiledModule compiled() {
        return compiled;
    }

    public ModuleLimits limits() {
        return limits;
    }

    public ColdStart coldStart() {
        return coldStart;
    }

    public HostEnvironment environment() {
        return environment;
    }

    public HostFunctions hostFunctions() {
        return host;
    }

    /** Calls completed, faults included. */
    public long calls() {
        return calls.sum();
    }

    public long faults(FaultKind kind) {
        return faults.get(kind).sum();
    }

    /** Faults counted against the module: every kind but {@link FaultKind#HOST_OVERLOAD}. */
    public long faults() {
        return faults.entrySet().stream().filter(e -> e.getKey().blamesModule()).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Calls stopped or late because the host did not give them the CPU ({@link FaultKind#HOST_OVERLOAD}). */
    public long hostOverloads() {
        return faults(FaultKind.HOST_OVERLOAD);
    }

    /** Instances built after the first one (one per fault, plus resets). */
    public long rebuilds() {
        return Math.max(0, builds.get() - 1);
    }

    /** {@code table.grow} calls refused (returned -1) because the module's table-element cap was reached, over all its instances. */
    public long refusedTableGrows() {
        return refusedTableGrows.sum();
    }

    /** Worker threads given up because they did not stop within the grace period. */
    public long abandonedWorkers() {
        return abandonedWorkers.sum();
    }

    /** Stops the worker: a running call is interrupted, queued ones fail; the thread ends within the grace. */
    @Override
    public void close() {
        ModuleWorker w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = worker;
            if (timer != null) {
                timer.stopped = true;
            }
        }
        for (ModuleWorker.Task t : w.retire()) {
            t.fail(new IllegalStateException("module " + id + " closed"));
        }
        try {
            if (!w.awaitStop(stopGraceNanos)) {
                LOG.log(System.Logger.Level.WARNING, "module " + id + ": worker did not stop within the grace period");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Instance newInstance() {
        builds.incrementAndGet();
        return compiled.instantiate(imports, limits, refusedTableGrows, memory);
    }

    Watchdog watchdog() {
        return watchdog;
    }

    long stopGraceNanos() {
        return stopGraceNanos;
    }

    /** Counts a result, then hands it to the caller; a call is counted once even if reported twice. */
    void completed(CallTicket t, CallResult r) {
        if (t.claimReport()) {
            calls.increment();
            if (!r.ok()) {
                faults.get(r.fault()).increment();
            }
            if (t.onResult != null) {
                t.onResult.accept(r);
            }
            t.result.complete(r);
        }
    }

    /** The watchdog's last resort: the worker ignored the interrupt; replace it and fail the call. */
    void wedged(CallTicket t) {
        ModuleWorker old;
        synchronized (this) {
            old = t.worker;
            if (closed || old != worker) {
                return;
            }
            worker = new ModuleWorker(this, threadName, stackSize);
            if (timer != null) {
                worker.tickOn(timer);
            }
        }
        realtime.leaveQuietly(old.thread(), "module " + id + "'s abandoned worker");
        abandonedWorkers.increment();
        LOG.log(System.Logger.Level.WARNING,
                "module " + id + ": " + t.export + " ignored the interrupt; worker abandoned");
        long elapsed = System.nanoTime() - t.startNanos();
        completed(t, CallResult.fault(t.export, FaultKind.DEADLINE_MISS, "did not stop within "
                + stopGraceNanos / 1_000_000 + " ms after its deadline; worker thread abandoned",
                elapsed, elapsed - t.deadlineNanos));
        for (ModuleWorker.Task queued : old.retire()) {
            try {
                if (queued instanceof ModuleWorker.Call c) {
                    enqueue(c.ticket);
                } else {
                    worker.submit(queued);
                }
            } catch (RuntimeException e) {
                queued.fail(e);
            }
        }
    }

    private void enqueue(CallTicket ticket) {
        for (int attempt = 0; ; attempt++) {
            if (closed) {
                throw new IllegalStateException("module " + id + " is closed");
            }
            ModuleWorker w = worker;
            try {
                w.submit(ticket);
                return;
            } catch (RejectedExecutionException e) {
                if (w == worker || attempt > 0) {
                    throw new IllegalStateException("module " + id + " has too many calls queued", e);
                }
            }
        }
    }

    private CallResult counted(CallResult r) {
        faults.get(r.fault()).increment();
        return r;
    }

    private <T> T onWorker(Function<Instance, T> action) {
        return await(worker.onWorker(action));
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(limits.deadlineNanos() + stopGraceNanos + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for module " + id, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("module " + id + " did not answer", e);
        }
    }

    /** Builds the first instance on the worker, waiting at most {@code budget}; refuses the module otherwise. */
    private void firstInstance(Duration budget) {
        CompletableFuture<Object> built = worker.onWorker(i -> null);
        try {
            built.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new RejectedException(HostPolicyFailure.INSTANTIATION_TIMEOUT, "building an instance of " + id
                    + " (its memory, tables, globals and segments) took longer than " + budget.toMillis() + " ms");
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted instantiating module " + id, e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RejectedException r) {
                throw r;
            }
            throw new RejectedException(PolicyFailure.INVALID_WASM, "cannot be instantiated: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
