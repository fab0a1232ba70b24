package dev.wasmota.transport;

import java.time.Clock;

/**
 * Where a serving party's {@link ServiceEvent}s go: the command line prints them, one line each;
 * a library never writes to standard output itself. An implementation must be quick and must not
 * throw: it is called on the routes' threads.
 */
@FunctionalInterface
public interface ServiceEvents {
    /** Drops every event (a party run without an operator watching, e.g. in a simulated fleet). */
    ServiceEvents NONE = e -> { };

    void emit(ServiceEvent event);

    /** Emits an event of {@code kind} with {@code text}, at {@code clock}'s time. */
    default void emit(Clock clock, ServiceEvent.Kind kind, String text) {
        emit(new ServiceEvent(clock.instant(), kind, text));
    }
}
