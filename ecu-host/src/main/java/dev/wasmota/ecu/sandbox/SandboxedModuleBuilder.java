package dev.wasmota.ecu.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a {@link SandboxedModule}, with defaults: a fresh simulated environment, the shared
 * watchdog, no cold-start allowance beyond the first call's allowance.
 */
public final class SandboxedModuleBuilder {
    final CompiledModule compiled;
    String id = "module";
    ModuleLimits limits;
    HostEnvironment environment;
    Watchdog watchdog;
    Duration stopGrace = Duration.ofMillis(500);
    long stackSize = 1 << 20;
    Duration instantiateBudget = SandboxedModule.INSTANTIATE_BUDGET;
    ColdStart coldStart = ColdStart.NONE;
    int wallClockAllowance = 1;
    Duration wallClockExtra = Duration.ZERO;
    Realtime realtime = Realtime.OFF;
    MemoryKind memory = MemoryKind.DEFAULT;

    SandboxedModuleBuilder(CompiledModule compiled) {
        this.compiled = Objects.requireNonNull(compiled, "compiled");
    }

    public SandboxedModuleBuilder id(String id) {
        this.id = id;
        return this;
    }

    public SandboxedModuleBuilder limits(ModuleLimits limits) {
        this.limits = limits;
        return this;
    }

    /** Buses, clock and log sink; default: fresh simulated ones. */
    public SandboxedModuleBuilder environment(HostEnvironment environment) {
        this.environment = environment;
        return this;
    }

    /** Default: {@link Watchdog#shared()}. */
    public SandboxedModuleBuilder watchdog(Watchdog watchdog) {
        this.watchdog = watchdog;
        return this;
    }

    /** How long past a deadline a worker may take to stop before it is abandoned; default 500 ms. */
    public SandboxedModuleBuilder stopGrace(Duration grace) {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("stop grace must be positive");
        }
        this.stopGrace = grace;
        return this;
    }

    /** Stack of the worker thread, which bounds the module's call depth; default 1 MiB. */
    public SandboxedModuleBuilder stackSize(long bytes) {
        if (bytes < 64 * 1024) {
            throw new IllegalArgumentException("stack size below 64 KiB");
        }
        this.stackSize = bytes;
        return this;
    }

    /** The longest building the first instance may take before the module is refused; default {@link SandboxedModule#INSTANTIATE_BUDGET}. */
    public SandboxedModuleBuilder instantiateBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("instantiation budget must be positive");
        }
        this.instantiateBudget = budget;
        return this;
    }

    /** The allowance of a freshly activated module's first calls; default {@link ColdStart#NONE}. */
    public SandboxedModuleBuilder coldStart(ColdStart coldStart) {
        this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
        return this;
    }

    /**
     * How long a call may run by the wall clock before it is stopped: {@code budgets} times its
     * budget, and at least its budget plus {@code atLeastExtra}; default 1 and nothing (the vehicle:
     * stopped at its deadline). Whatever this is, a call is judged by its own CPU time: one that used
     * more than its budget is a deadline miss however soon it returned. The OEM's intake allows more,
     * so a load on its machine that stretches a call's wall time does not decide the verdict.
     */
    public SandboxedModuleBuilder wallClockAllowance(int budgets, Duration atLeastExtra) {
        if (budgets < 1 || budgets > 100 || atLeastExtra.isNegative()) {
            throw new IllegalArgumentException("wall-clock allowance of " + budgets + " budgets and " + atLeastExtra
                    + ": 1..100 budgets, an extra of zero or more");
        }
        this.wallClockAllowance = budgets;
        this.wallClockExtra = atLeastExtra;
        return this;
    }

    /** How the instance's linear memory is held; default {@link MemoryKind#DEFAULT}. */
    public SandboxedModuleBuilder memory(MemoryKind memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
        return this;
    }

    /** The worker thread's scheduling; default {@link Realtime#OFF}. */
    public SandboxedModuleBuilder realtime(Realtime realtime) {
        this.realtime = Objects.requireNonNull(realtime, "realtime");
        return this;
    }

    public SandboxedModule build() {
        return new SandboxedModule(this);
    }
}
