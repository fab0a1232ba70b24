package dev.wasmota.cli;

import dev.wasmota.testkit.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/DEPLOY.md's {@code sh} blocks as {@link DeploymentIT} runs them: each tagged {@code step=NAME}
 * (run in order; {@code service} ones in the background) or {@code alternative} (shown, not run).
 */
final class DeployDocument {
    static final Path FILE = Repository.file("docs/DEPLOY.md");
    /** The document's steps, in order, each checked by {@link DeploymentIT}. */
    static final List<String> STEPS = List.of("settings", "database", "oem-keys", "worker-copy", "provision",
            "supplier-enroll", "mosquitto-config", "broker", "oem-1", "oem-2", "veh-0001", "veh-0002", "supplier-submit",
            "campaign", "watch", "verify", "operations");
    private static final Pattern BLOCK = Pattern.compile("^```sh( [^\\n]*)?\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);

    private DeployDocument() {
    }

    /** A {@code sh} block: its step name (null for an alternative), whether it serves until stopped, its commands. */
    record Block(String step, boolean service, boolean alternative, String body) {
    }

    /** Every {@code sh} block of the document, in order. */
    static List<Block> all() {
        try {
            return parse(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blocks DeploymentIT runs, in order. */
    static List<Block> steps() {
        return all().stream().filter(b -> !b.alternative()).toList();
    }

    /** The {@code sh} blocks of {@code markdown}; one neither a step nor an alternative is refused. */
    static List<Block> parse(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            List<String> tags = m.group(1) == null ? List.of() : List.of(m.group(1).trim().split("\\s+"));
            String body = m.group(2);
            if (tags.contains("alternative")) {
                blocks.add(new Block(null, false, true, body));
                continue;
            }
            String step = tags.stream().filter(t -> t.startsWith("step=")).map(t -> t.substring(5)).findFirst()
                    .orElseThrow(() -> new AssertionError("an sh block of docs/DEPLOY.md is neither step=NAME nor alternative: "
                            + body.lines().findFirst().orElse("")));
            blocks.add(new Block(step, tags.contains("service"), false, body));
        }
        return blocks;
    }
}
