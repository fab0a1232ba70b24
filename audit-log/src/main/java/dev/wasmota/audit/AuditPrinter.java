package dev.wasmota.audit;

import dev.wasmota.audit.AuditCodec.MalformedRecordException;
import dev.wasmota.contract.io.BoundedLineReader;
import dev.wasmota.contract.io.BoundedLineReader.Line;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

/** Renders audit records one per line for people ({@code ota ecu log}); the JSON file stays the record. */
public final class AuditPrinter {
    private static final int SHORT_HASH = 12;

    private AuditPrinter() {}

    /**
     * One line for {@code record}, e.g.
     * {@code #7 2026-05-01T10:00:00Z INSTALL_COMMITTED SUCCESS module=brake version=1.0.0->1.1.0 ...}.
     */
    public static String render(AuditRecord r) {
        StringJoiner line = new StringJoiner(" ");
        line.add("#" + r.seq()).add(String.valueOf(r.time())).add(r.event().name());
        if (r.outcome() != null) {
            line.add(r.outcome().name());
        }
        add(line, "module", r.moduleId());
        add(line, "version", change(r.fromVersion(), r.toVersion()));
        add(line, "wasm", change(shortHash(r.fromWasmSha256()), shortHash(r.toWasmSha256())));
        add(line, "sv", r.securityVersion() == null ? null : r.securityVersion().toString());
        add(line, "campaign", r.campaignId());
        add(line, "instruction", r.instructionId());
        add(line, "cause", r.cause());
        add(line, "verified", pairs(r.verifications()));
        add(line, "pre", pairs(r.preconditions()));
        add(line, "actor", r.actor());
        if (r.detail() != null) {
            line.add("\"" + oneLine(r.detail()) + "\"");
        }
        add(line, "hash", shortHash(r.hash()));
        return line.toString();
    }

    /**
     * Writes every line of the log at {@code file} to {@code out}, one rendered record per line; a
     * line that is not a record is shown as unreadable, and printing goes on. Returns the number of
     * records rendered. Printing does not check the chain; {@link AuditLog#verify} does.
     */
    public static long print(Path file, Appendable out) {
        long printed = 0;
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(file), AuditLog.MAX_LINE_BYTES)) {
            Line line;
            while ((line = reader.next()) != null) {
                if (line.tooLong()) {
                    out.append("line ").append(String.valueOf(line.number())).append(": unreadable: longer than ")
                            .append(String.valueOf(AuditLog.MAX_LINE_BYTES)).append(" bytes\n");
                } else if (!line.terminated()) {
                    out.append("line ").append(String.valueOf(line.number()))
                            .append(": unterminated (an append cut short by a crash)\n");
                } else {
                    printed += printLine(line, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot print audit log " + file, e);
        }
        return printed;
    }

    private static int printLine(Line line, Appendable out) throws IOException {
        try {
            out.append(render(AuditCodec.decodeLine(line.bytes()))).append('\n');
            return 1;
        } catch (MalformedRecordException e) {
            out.append("line ").append(String.valueOf(line.number())).append(": unreadable: ")
                    .append(e.getMessage()).append('\n');
            return 0;
        }
    }

    private static void add(StringJoiner line, String name, String value) {
        if (value != null) {
            line.add(name + "=" + oneLine(value));
        }
    }

    private static String change(String from, String to) {
        if (from == null && to == null) {
            return null;
        }
        if (from == null) {
            return to;
        }
        return from + "->" + (to == null ? "?" : to);
    }

    private static String shortHash(String hash) {
        return hash == null || hash.length() <= SHORT_HASH ? hash : hash.substring(0, SHORT_HASH);
    }

    private static String pairs(Map<String, String> map) {
        if (map.isEmpty()) {
            return null;
        }
        StringJoiner joined = new StringJoiner(",", "{", "}");
        map.forEach((k, v) -> joined.add(k + "=" + v));
        return joined.toString();
    }

    private static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append(Character.toChars(c));
            }
        });
        return sb.toString();
    }
}
