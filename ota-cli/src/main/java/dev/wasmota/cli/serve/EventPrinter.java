package dev.wasmota.cli.serve;

import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Prints a serving party's events on the command's standard output, one line each with its time
 * of day: {@code 12:00:01 status veh-0001 COMMITTED brake-temp 1.2.0 (...)}. Flushed line by line,
 * so an operator (or {@code journalctl}) sees each as it happens.
 */
public final class EventPrinter implements ServiceEvents {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final ZoneId zone;

    public EventPrinter(PrintWriter out, ZoneId zone) {
        this.out = out;
        this.zone = zone;
    }

    @Override
    public void emit(ServiceEvent event) {
        String line = TIME.format(event.at().atZone(zone)) + " " + event.text();
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
