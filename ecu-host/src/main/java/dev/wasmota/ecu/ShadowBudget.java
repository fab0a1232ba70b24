package dev.wasmota.ecu;

/**
 * What the host may spend on its modules, shadows included: linear memory in pages over every
 * running sandbox, and CPU as the sum of each module's deadline over its period (its worst share
 * of one core). A shadow that would exceed either is refused.
 *
 * @param memoryPages pages of 64 KiB over every running module and shadow
 * @param cpuShare the sum of deadline/period over every running module and shadow, in cores
 */
public record ShadowBudget(long memoryPages, double cpuShare) {
    /** 1024 pages (64 MiB), and the worst cases of every module and shadow together within the host's cores. */
    public static final ShadowBudget DEFAULT = new ShadowBudget(1024, Runtime.getRuntime().availableProcessors());

    public ShadowBudget {
        if (memoryPages < 1 || !(cpuShare > 0)) {
            throw new IllegalArgumentException("a host budget needs memory pages >= 1 and a CPU share > 0");
        }
    }
}
