package dev.wasmota.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.wasmota.testkit.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module graph drawn in docs/ARCHITECTURE.md is the graph of the code and of the build: every
 * class depends only on its own module and the modules the graph lets it use (no arrow back up),
 * the poms declare no dependency the graph does not draw, the vehicle never reaches the OEM, and
 * what is internal, command line or benchmark stays where it belongs.
 */
class ArchitectureTest {
    /** One row of the graph: a Maven module, its directory, its root package and the modules it uses. */
    record Module(String artifact, String directory, String rootPackage, List<String> uses) {
    }

    private static Map<String, Module> graph;
    private static JavaClasses classes;

    @BeforeAll
    static void read() throws IOException {
        graph = graph(Files.readAllLines(Repository.file("docs/ARCHITECTURE.md")));
        ImportOption productOnly = location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                && !location.contains("-tests.jar");
        classes = new ClassFileImporter().withImportOption(productOnly).importPackages("dev.wasmota");
        for (String c : List.of("dev.wasmota.ecu.EcuHost", "dev.wasmota.oem.intake.IntakePipeline",
                "dev.wasmota.routes.vehicle.VehicleNode", "dev.wasmota.cli.Main")) {
            assertTrue(classes.contain(c), "the rules would be checked on nothing: " + c + " was not imported");
        }
    }

    /** Parses the fenced block under "## The module graph" (one module per line: artifact, directory, package, uses...). */
    static Map<String, Module> graph(List<String> doc) {
        Map<String, Module> modules = new LinkedHashMap<>();
        int heading = doc.indexOf("## The module graph");
        assertTrue(heading >= 0, "docs/ARCHITECTURE.md has no '## The module graph' section");
        int start = -1;
        for (int i = heading; i < doc.size(); i++) {
            if (doc.get(i).startsWith("```")) {
                if (start >= 0) {
                    break;
                }
                start = i;
                continue;
            }
            if (start < 0 || doc.get(i).isBlank() || doc.get(i).startsWith("module ")) {
                continue;
            }
            String[] f = doc.get(i).trim().split("\\s+");
            List<String> uses = f.length > 3 && !f[3].equals("-") ? List.of(f).subList(3, f.length) : List.of();
            modules.put(f[0], new Module(f[0], f[1], f[2], uses));
        }
        assertFalse(modules.isEmpty(), "the module graph block is empty");
        return modules;
    }

    /** The modules {@code artifact} may use: what it uses, and what those use, all the way down. */
    static Set<String> reach(Map<String, Module> g, String artifact) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(g.get(artifact).uses());
        while (!todo.isEmpty()) {
            String m = todo.pop();
            assertTrue(g.containsKey(m), artifact + " uses " + m + ", which the graph does not list");
            if (seen.add(m)) {
                todo.addAll(g.get(m).uses());
            }
        }
        return seen;
    }

    static Optional<Module> moduleOf(Map<String, Module> g, String className) {
        Module best = null;
        for (Module m : g.values()) {
            if ((className.startsWith(m.rootPackage() + ".")) && (best == null || m.rootPackage().length() > best.rootPackage().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    @Test
    void theGraphHasNoCircleAndEveryArrowPointsDown() {
        for (String m : graph.keySet()) {
            assertFalse(reach(graph, m).contains(m), m + " reaches itself: a circle in the module graph");
        }
    }

    @Test
    void everyClassUsesOnlyItsModuleAndTheModulesTheGraphLetsItUse() {
        List<String> breaches = new ArrayList<>();
        for (JavaClass c : classes) {
            Optional<Module> from = moduleOf(graph, c.getName());
            if (from.isEmpty()) {
                breaches.add(c.getName() + " is in no module of the graph");
                continue;
            }
            Set<String> allowed = reach(graph, from.get().artifact());
            allowed.add(from.get().artifact());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getName();
                if (!target.startsWith("dev.wasmota.")) {
                    continue;
                }
                Optional<Module> to = moduleOf(graph, target);
                if (to.isPresent() && !allowed.contains(to.get().artifact())) {
                    breaches.add(from.get().artifact() + " -> " + to.get().artifact() + ": " + d.getDescription());
                }
            }
        }
        assertEquals(List.of(), breaches.stream().distinct().limit(40).toList(), "arrows the graph does not draw");
    }

    @Test
    void thePomsDeclareOnlyTheArrowsOfTheGraph() throws Exception {
        Set<String> artifacts = graph.keySet();
        for (Module m : graph.values()) {
            Path pom = Repository.file(m.directory()).resolve("pom.xml");
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            assertEquals(m.artifact(), text(project, "artifactId"), pom + " is not " + m.artifact());
            Set<String> allowed = reach(graph, m.artifact());
            NodeList deps = project.getElementsByTagName("dependency");
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String artifact = text(d, "artifactId");
                boolean test = "test".equals(text(d, "scope"));
                if ("dev.wasmota".equals(text(d, "groupId")) && artifacts.contains(artifact) && !test) {
                    assertTrue(allowed.contains(artifact), m.artifact() + "'s pom depends on " + artifact
                            + ", an arrow docs/ARCHITECTURE.md does not draw");
                }
            }
        }
    }

    @Test
    void theVehicleNeverReachesTheOemTheBrokerOrADatabase() {
        noClasses().that().resideInAnyPackage("dev.wasmota.ecu..", "dev.wasmota.routes.vehicle..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.wasmota.oem..", "dev.wasmota.routes.oem..",
                        "dev.wasmota.routes.supplier..", "dev.wasmota.broker..", "dev.wasmota.sim..", "dev.wasmota.cli..",
                        "org.h2..", "org.postgresql..", "org.flywaydb..", "com.hivemq..", "picocli..")
                .check(classes);
    }

    @Test
    void internalPackagesAreUsedOnlyInsideTheirModule() {
        for (Module m : graph.values()) {
            noClasses().that().resideOutsideOfPackage(m.rootPackage() + "..")
                    .should().dependOnClassesThat().resideInAPackage(m.rootPackage() + ".internal..")
                    .allowEmptyShould(true).check(classes);
        }
    }

    @Test
    void onlyTheCommandLineHasCommandsAndBenchmarks() {
        noClasses().that().resideOutsideOfPackage("dev.wasmota.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(classes);
        classes().that().haveSimpleNameEndingWith("Bench").should().resideInAPackage("dev.wasmota.cli..")
                .check(classes);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
