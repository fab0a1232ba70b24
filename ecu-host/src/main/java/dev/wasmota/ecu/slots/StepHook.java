package dev.wasmota.ecu.slots;

/**
 * Called at each named step of a durable operation, after the step's effect is on disk. Crash
 * tests throw from it to stop the process exactly there; production code passes {@link #NONE}.
 *
 * <p>Steps of {@link SlotStore}: {@code stage.release-previous.temp-written},
 * {@code stage.release-previous.renamed} (only when the slot being staged held the rollback
 * target), {@code stage.metadata-cleared}, {@code stage.package.temp-written},
 * {@code stage.package.renamed}, {@code stage.metadata.temp-written},
 * {@code stage.metadata.renamed}, {@code stage.written}; {@code commit.temp-written},
 * {@code commit.renamed}; {@code rollback.temp-written}, {@code rollback.renamed};
 * {@code floor.temp-written}, {@code floor.renamed}.
 */
@FunctionalInterface
public interface StepHook {
    /** A hook that does nothing. */
    StepHook NONE = step -> {};

    /** The named step has been reached. */
    void reached(String step);
}
