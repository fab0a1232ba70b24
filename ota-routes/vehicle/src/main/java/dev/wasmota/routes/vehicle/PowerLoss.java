package dev.wasmota.routes.vehicle;

/**
 * The vehicle lost power in the middle of handling a message (the simulator throws it from an
 * install step). The route neither acknowledges nor dead-letters the message: the broker keeps
 * it in the vehicle's session and delivers it again once the vehicle is back.
 */
public final class PowerLoss extends RuntimeException {
    public PowerLoss(String step) {
        super("power lost at " + step, null, false, false);
    }
}
