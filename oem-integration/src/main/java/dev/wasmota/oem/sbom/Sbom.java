package dev.wasmota.oem.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.parsers.JsonParser;

/**
 * A supplier's SBOM as intake reads it: CycloneDX JSON, specification 1.5 or later, valid against
 * its schema (read and validated by the CycloneDX Java library), describing one component (its
 * {@code metadata.component}: the module, with the module's SHA-256) and listing the components it
 * is made of.
 *
 * @param specVersion the CycloneDX specification version, e.g. {@code 1.5}
 * @param subject the described component
 * @param components the components listed, in document order (nested ones flattened)
 */
public record Sbom(String specVersion, Part subject, List<Part> components) {
    /** Most components read from one SBOM. */
    public static final int MAX_COMPONENTS = 10_000;

    public Sbom {
        components = List.copyOf(components);
    }

    /**
     * One component: its name, version and package URL where the SBOM gives them, and its SHA-256.
     *
     * @param sha256 lowercase hex, when the SBOM states a SHA-256 hash for it
     */
    public record Part(String name, Optional<String> version, Optional<String> purl, Optional<String> sha256) {
        /** {@code name@version}, or the name alone. */
        public String label() {
            return name + version.map(v -> "@" + v).orElse("");
        }
    }

    /**
     * Reads and validates {@code bytes} (bounded by the package format).
     *
     * @throws RejectedException {@link SbomFailure#MALFORMED_SBOM} naming the first problem
     */
    public static Sbom read(byte[] bytes) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw malformed("not JSON");
        }
        if (root == null || !root.isObject() || !"CycloneDX".equals(root.path("bomFormat").asText())) {
            throw malformed("not a CycloneDX JSON document (bomFormat is not CycloneDX)");
        }
        String spec = root.path("specVersion").asText("");
        Version version = Version.fromVersionString(spec);
        if (version == null || version.getVersion() < Version.VERSION_15.getVersion()) {
            throw malformed("CycloneDX specVersion '" + clip(spec) + "'; intake reads 1.5 or later");
        }
        JsonParser parser = new JsonParser();
        List<ParseException> problems;
        try {
            problems = parser.validate(root, version);
        } catch (IOException | RuntimeException e) {
            throw malformed("cannot be validated against the CycloneDX " + spec + " schema: " + clip(String.valueOf(e.getMessage())));
        }
        if (!problems.isEmpty()) {
            throw malformed("not valid CycloneDX " + spec + ": " + clip(problems.get(0).getMessage()));
        }
        Bom bom;
        try {
            bom = parser.parse(bytes);
        } catch (ParseException | RuntimeException e) {
            throw malformed("cannot be read: " + clip(String.valueOf(e.getMessage())));
        }
        if (bom.getMetadata() == null || bom.getMetadata().getComponent() == null) {
            throw malformed("describes no component (metadata.component is missing)");
        }
        List<Part> parts = new ArrayList<>();
        flatten(bom.getComponents(), parts);
        return new Sbom(spec, part(bom.getMetadata().getComponent()), parts);
    }

    private static void flatten(List<Component> list, List<Part> out) {
        if (list == null) {
            return;
        }
        for (Component c : list) {
            if (out.size() >= MAX_COMPONENTS) {
                throw malformed("lists more than " + MAX_COMPONENTS + " components");
            }
            out.add(part(c));
            flatten(c.getComponents(), out);
        }
    }

    private static Part part(Component c) {
        String name = (c.getGroup() == null || c.getGroup().isBlank() ? "" : c.getGroup() + "/")
                + (c.getName() == null ? "?" : c.getName());
        Optional<String> sha = Optional.empty();
        if (c.getHashes() != null) {
            for (Hash h : c.getHashes()) {
                if ("SHA-256".equalsIgnoreCase(h.getAlgorithm()) && h.getValue() != null) {
                    sha = Optional.of(h.getValue().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new Part(clip(name), Optional.ofNullable(c.getVersion()).map(Sbom::clip),
                Optional.ofNullable(c.getPurl()).map(Sbom::clip), sha);
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(SbomFailure.MALFORMED_SBOM, "SBOM: " + detail);
    }

    private static String clip(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
