package dev.wasmota.transport;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing a serving party did that its operator should see as it happens: an intake, a
 * dispatch, a status report, a refusal, a dead letter. The text is one line, written for people
 * ({@code intake acme/brake-temp 1.2.0 accepted (release brake-temp@1.2.0)}); the kind lets a
 * reader filter without parsing it. Parts of the text come from other parties (a refusal's detail,
 * a topic name, a certificate's name), so control characters (line breaks, terminal escape
 * sequences) are shown as {@code ?} and the line is cut at {@value #MAX_LENGTH} characters: one
 * event is always one harmless line on the operator's console or in a journal.
 *
 * @param at when it happened (the party's clock)
 * @param kind what kind of thing happened
 * @param text the line, without time stamp or line break
 */
public record ServiceEvent(Instant at, Kind kind, String text) {
    public static final int MAX_LENGTH = 1000;

    public ServiceEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        text = printable(text);
    }

    private static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
        for (int i = 0; i < text.length() && b.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return text.length() > MAX_LENGTH ? b.append("...").toString() : b.toString();
    }

    /** What kind of thing happened. */
    public enum Kind {
        /** The OEM ran the intake of a submission (accepted or rejected). */
        INTAKE,
        /** The OEM sent an instruction, a trust update or a status request to a vehicle. */
        DISPATCH,
        /** The OEM counted a vehicle's status report, or a vehicle answered an instruction. */
        STATUS,
        /** A message was refused with a named reason and dead-lettered. */
        REFUSED,
        /** A message could not be handled (not a refusal) and was dead-lettered after its retries. */
        DEAD_LETTER,
        /** A vehicle put a trust update in force. */
        TRUST,
        /** A status report was asked for again, or sent again. */
        RESYNC
    }
}
