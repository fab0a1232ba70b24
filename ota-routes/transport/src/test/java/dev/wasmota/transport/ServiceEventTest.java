package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An event is one harmless line, whatever another party put into its text. */
class ServiceEventTest {
    private static ServiceEvent event(String text) {
        return new ServiceEvent(Instant.EPOCH, ServiceEvent.Kind.REFUSED, text);
    }

    @Test
    void showsLineBreaksAndTerminalEscapesAsQuestionMarks() {
        assertEquals("refused status from veh-9: ?[2J?[31mgot you? fake line",
                event("refused status from veh-9: \u001b[2J\u001b[31mgot you\n fake line").text());
        assertEquals("a?b?c?d", event("a\rb\u0085c\u2028d").text());
    }

    @Test
    void cutsALongTextAtItsLimit() {
        String text = event("x".repeat(5000)).text();

        assertEquals(ServiceEvent.MAX_LENGTH + 3, text.length());
        assertEquals("...", text.substring(ServiceEvent.MAX_LENGTH));
        assertEquals("short", event("short").text());
    }
}
