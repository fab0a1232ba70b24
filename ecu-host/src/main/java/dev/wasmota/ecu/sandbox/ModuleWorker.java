package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The dedicated thread of one sandbox and the instance it confines: every guest call, instance
 * build and memory inspection runs here, one at a time. This is the isolation point: whatever a
 * call throws is caught here, named ({@link CallVerdict}), and turned into a fault result, and the
 * instance is rebuilt.
 *
 * <p>Stopping: the thread is a {@link DeadlineThread}, so a call's own interrupt checks stop it
 * at its wall-clock limit; the watchdog's alarm ({@link DeadlineAlarm}) is the backstop (time in
 * host functions).
 *
 * <p>Periodic ticks: with a {@link TickTimer} the worker ticks by itself when a period is due,
 * sleeping in between (no hand-off per tick); queued tasks still run in between ticks.
 *
 * <p>Hand-off: tasks go through a lock-free queue; an idle worker spins for
 * {@link #SPIN_NANOS} looking for the next task before it parks, so back-to-back calls are
 * handed over without a thread wake-up, while an idle sandbox costs no CPU beyond that spin.
 *
 * <p>Deadlines: the watchdog's backstop alarm for this worker's calls is a {@link DeadlineAlarm}:
 * one per worker rather than one per call, so a call within its budget schedules nothing.
 */
final class ModuleWorker {
    private static final System.Logger LOG = System.getLogger(ModuleWorker.class.getName());
    private static final int QUEUE = 16;
    /** The longest an idle worker looks for the next task before parking. */
    static final int SPIN_NANOS = 5_000;
    /** The shortest: the spin halves each time it ends in a park, and is back to the longest when it finds work. */
    static final int MIN_SPIN_NANOS = 1_000;
    /** Every 8th wait spins the longest whatever the adaptation says. */
    private static final int PROBE_EVERY_MASK = 7;

    /** Work for the worker thread: a call, or an action on the instance. */
    interface Task {
        /** Runs on {@code worker}'s thread. */
        void run(ModuleWorker worker);

        /** The task will never run: tells whoever waits for it. */
        void fail(Throwable why);
    }

    /** The marker task of a periodic tick due now. */
    private static final Task TICK = new Task() {
        @Override
        public void run(ModuleWorker worker) {
            worker.tick();
        }

        @Override
        public void fail(Throwable why) {
        }
    };

    private final SandboxedModule owner;
    private final DeadlineThread thread;
    private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<String, ExportFunction> exports = new HashMap<>();
    private final DeadlineAlarm alarm;
    private Instance instance;
    /** The current spin, adapted (worker thread only). */
    private int spinNanos = SPIN_NANOS;
    private int waits;
    private volatile boolean parked;
    private volatile boolean retired;
    /** The call running now, or null. */
    private volatile CallTicket current;
    /** The periodic tick this worker runs by itself, or null. */
    private volatile TickTimer timer;
    /** Whether the last task was a periodic tick (worker thread only): then an idle worker parks without spinning. */
    private boolean lastWasTick;

    ModuleWorker(SandboxedModule owner, String threadName, long stackSize) {
        this.owner = owner;
        this.alarm = new DeadlineAlarm(owner, this);
        this.thread = new DeadlineThread(this::loop, threadName, stackSize);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a call; throws {@link RejectedExecutionException} when full or retired. */
    void submit(CallTicket ticket) {
        ticket.worker = this;
        submit(new Call(ticket));
    }

    /** Queues a task; throws {@link RejectedExecutionException} when full or retired. */
    void submit(Task task) {
        if (retired) {
            throw new RejectedExecutionException("worker retired");
        }
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("queue full");
        }
        queue.offer(task);
        if (retired && queue.remove(task)) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("worker retired");
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Ticks on {@code t}'s periods from now on (null: stops ticking; a tick running finishes). */
    void tickOn(TickTimer t) {
        timer = t;
        LockSupport.unpark(thread);
    }

    /** The worker's thread (for its scheduling policy). */
    Thread thread() {
        return thread;
    }

    /** Runs {@code action} on the worker with the current instance (built if needed). */
    <T> CompletableFuture<T> onWorker(Function<Instance, T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(new Action<>(f, w -> action.apply(w.instance())));
        return f;
    }

    /** Discards the instance and builds a fresh one. */
    CompletableFuture<Void> reset() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new Action<>(f, w -> {
            w.discard();
            w.instance();
            return null;
        }));
        return f;
    }

    /** Stops taking work and interrupts a running call; returns the tasks that never ran. */
    List<Task> retire() {
        retired = true;
        List<Task> unrun = new ArrayList<>();
        for (Task t; (t = queue.poll()) != null; ) {
            unrun.add(t);
        }
        thread.interrupt();
        LockSupport.unpark(thread);
        return unrun;
    }

    boolean awaitStop(long nanos) throws InterruptedException {
        if (Thread.currentThread() != thread) {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        }
        return !thread.isAlive();
    }

    private void loop() {
        owner.workerStarted(thread);
        for (Task t; (t = next()) != null; ) {
            try {
                t.run(this);
            } catch (Throwable last) {
                discard();
                t.fail(last);
            }
        }
    }

    /**
     * The next task: a queued one, else a periodic tick due now; else spins briefly, then parks
     * (until the next tick is due, when ticking); null once retired. The spin adapts: while the
     * next task comes within it (calls back to back) it stays at {@link #SPIN_NANOS}; while it
     * ends in a park (an idle module, or no free core for the caller) it shrinks to
     * {@link #MIN_SPIN_NANOS}, so it wastes little where it cannot help. After a periodic tick it
     * does not spin: the next tick is a period away.
     */
    private Task next() {
        Task t = poll();
        if (t != null || (t = dueTick()) != null) {
            return t;
        }
        if (!lastWasTick) {
            t = spin();
            if (t != null) {
                return t;
            }
        }
        while (true) {
            parked = true;
            t = poll();
            if (t == null) {
                t = dueTick();
            }
            if (t != null || retired) {
                parked = false;
                return t;
            }
            TickTimer tt = timer;
            if (tt != null && !tt.stopped) {
                LockSupport.parkNanos(this, tt.untilDue(System.nanoTime()));
            } else {
                LockSupport.park(this);
            }
            parked = false;
            // only retire() interrupts an idle worker; a stray flag must not make park spin
            Thread.interrupted();
        }
    }

    private Task poll() {
        Task t = queue.poll();
        if (t != null) {
            queued.decrementAndGet();
            lastWasTick = false;
        }
        return t;
    }

    /** {@link #TICK} if a periodic tick is due now, else null. */
    private Task dueTick() {
        TickTimer tt = timer;
        if (tt != null && !tt.stopped && !retired && tt.untilDue(System.nanoTime()) <= 0) {
            lastWasTick = true;
            return TICK;
        }
        return null;
    }

    private Task spin() {
        // now and then spin the longest even after parks: how the back-to-back hand-off recovers
        // once both threads have a core again (a short spin never outlasts a thread wake-up)
        int spin = (++waits & PROBE_EVERY_MASK) == 0 ? SPIN_NANOS : spinNanos;
        long spinUntil = System.nanoTime() + spin;
        while (!retired) {
            Thread.onSpinWait();
            Task t = poll();
            if (t != null || (t = dueTick()) != null) {
                spinNanos = SPIN_NANOS;
                return t;
            }
            if (System.nanoTime() - spinUntil >= 0) {
                spinNanos = Math.max(MIN_SPIN_NANOS, spinNanos / 2);
                return null;
            }
        }
        return null;
    }

    /**
     * Runs the periodic tick that is due; when its result is reported (before anyone waiting for
     * it is released), moves the timer to the next period and tells the listener.
     */
    private void tick() {
        TickTimer tt = timer;
        if (tt == null || tt.stopped) {
            return;
        }
        long due = tt.nextDue;
        long woke = System.nanoTime();
        CallTicket t;
        try {
            t = owner.newTick();
        } catch (RuntimeException closed) {
            tt.stopped = true;
            return;
        }
        t.worker = this;
        t.onResult = r -> {
            long skipped = tt.advance(due, System.nanoTime());
            tt.listener.result(r);
            if (skipped > 0) {
                tt.listener.skipped(skipped);
            }
            tt.listener.timed(due, woke, System.nanoTime());
        };
        tt.last = t;
        run(t);
    }

    private Instance instance() {
        if (instance == null) {
            instance = owner.newInstance();
            exports.clear();
        }
        return instance;
    }

    private void discard() {
        instance = null;
        exports.clear();
    }

    private ExportFunction export(String name) {
        ExportFunction fn = exports.get(name);
        if (fn == null) {
            fn = instance().export(name);
            exports.put(name, fn);
        }
        return fn;
    }

    /** Runs one call on this worker's thread (the caller is that thread), reporting its result to the sandbox. */
    void run(CallTicket t) {
        if (retired) {
            t.result.completeExceptionally(new IllegalStateException("module " + owner.id() + " closed"));
            return;
        }
        if (t.result.isDone()) {
            return;
        }
        ExportFunction fn;
        long start;
        try {
            fn = export(t.export);
            Thread.interrupted();
            start = t.start();
            armDeadline(t, start + t.wallLimitNanos);
        } catch (Throwable e) {
            current = null;
            owner.completed(t, CallVerdict.judge(t, null, e, false, 0, 0, retired, owner.id()));
            return;
        }
        boolean everyCall = owner.cpuTimeOfEveryCall();
        long[] values = null;
        Throwable failure = null;
        thread.arm(start + t.wallLimitNanos, start, everyCall ? CallVerdict.cpuNow() : -1);
        try {
            values = fn.apply(t.args);
        } catch (Throwable e) {
            failure = e;
        }
        thread.disarm();
        long cpuAfter = everyCall ? CallVerdict.cpuNow() : -1;
        // finished before the elapsed time is read: a watchdog expiry that came first is then always past the limit
        boolean expired = t.finish();
        long elapsed = System.nanoTime() - start;
        if (cpuAfter == -1 && (expired || elapsed > t.deadlineNanos || failure != null)) {
            cpuAfter = CallVerdict.cpuNow();
        }
        long cpu = thread.cpuUsed(cpuAfter, elapsed);
        current = null;
        Thread.interrupted();
        CallResult r = CallVerdict.judge(t, values, failure, expired, elapsed, cpu, retired, owner.id());
        if (failure != null || !r.ok() && r.fault().blamesModule()) {
            discard();
        }
        owner.completed(t, r);
        if (instance == null && !retired) {
            rebuildQuietly();
        }
    }

    /** Worker side: publishes the running call and makes sure an alarm is pending at or before its deadline. */
    private void armDeadline(CallTicket t, long deadlineAt) {
        current = t;
        alarm.ensure(deadlineAt);
    }

    /** The call running now, or null (the alarm's side reads it). */
    CallTicket current() {
        return current;
    }

    /** Where an idle worker's alarm goes: the next periodic tick's deadline while ticking, else nowhere. */
    long idleAlarm() {
        TickTimer tt = timer;
        if (tt == null || tt.stopped || retired) {
            return DeadlineAlarm.NONE;
        }
        return tt.nextAlarm(System.nanoTime(), owner.wallLimitNanos(owner.limits().deadlineNanos()));
    }

    private void rebuildQuietly() {
        try {
            instance();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING,
                    "module " + owner.id() + ": rebuild failed, retrying on the next call", e);
        }
    }

    /** A queued call; handed back by {@link #retire} if it never ran. */
    static final class Call implements Task {
        final CallTicket ticket;

        Call(CallTicket ticket) {
            this.ticket = ticket;
        }

        @Override
        public void run(ModuleWorker worker) {
            worker.run(ticket);
        }

        @Override
        public void fail(Throwable why) {
            ticket.result.completeExceptionally(why);
        }
    }

    /** An action on the instance whose result completes a future. */
    private record Action<T>(CompletableFuture<T> future, Function<ModuleWorker, T> action) implements Task {
        @Override
        public void run(ModuleWorker worker) {
            try {
                future.complete(action.apply(worker));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }

        @Override
        public void fail(Throwable why) {
            future.completeExceptionally(why);
        }
    }
}
