package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.sim.report.SimReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each fault kind, injected into 2 of 8 vehicles, changes the run and its report the way it should. */
class FaultsIT {
    private static final int FLEET = 8;
    private static Broker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerSettings.builder(Files.createTempDirectory("faults-broker")).port(0).build());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(InjectedFault.class)
    void eachFaultShowsInTheReportWithItsEffect(InjectedFault kind) throws Exception {
        FleetConfig config = new FleetConfig(dir, FLEET, 1, FLEET, Optional.of(broker.url()), true, Optional.empty(),
                FaultSpec.parse(kind.label() + "=2"), 3, Map.of("ota.topic.root", "f" + kind.ordinal()), true);
        StringWriter text = new StringWriter();
        Duration wait = kind == InjectedFault.CLOCK_SKEW ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
        FleetRun.Outcome o = FleetRun.run(config, new FleetRun.Plan("100%", Duration.ZERO, wait,
                Duration.ZERO), Path.of(System.getProperty("ota.corpus")), Optional.of(dir.resolve("r.html")),
                new Narrator(new PrintWriter(text), false));
        SimReport r = o.report().orElseThrow();
        SimReport.WaveRun wave = r.campaigns().get(0).waves().get(0);
        assertTrue(r.faultsInjected().getOrDefault(kind.label(), 0) >= 2, kind + " counted: " + r.faultsInjected());
        assertEquals(FLEET, o.logsIntact(), "every audit log verifies after " + kind + "\n" + text);
        System.out.println(kind + ":\n" + text);
        switch (kind) {
            case CLOCK_SKEW -> {
                assertEquals(FLEET - 2, wave.committed(), text.toString());
                assertEquals(2, wave.pending(), "a clock 10 minutes behind cannot verify the instruction: no answer");
                assertTrue(r.refusalsByReason().values().stream().mapToInt(Integer::intValue).sum() >= 2,
                        "the vehicles dead-letter what they cannot verify: " + r.refusalsByReason());
            }
            case BAD_MODULE -> {
                assertEquals(Campaign.State.COMPLETED, o.campaign().orElseThrow(), text.toString());
                assertEquals(FLEET, wave.committed());
                assertTrue(r.refusalsByReason().values().stream().mapToInt(Integer::intValue).sum() >= 2,
                        "the corrupted copies are refused: " + r.refusalsByReason());
            }
            case SLOW_LINK -> {
                assertEquals(FLEET, wave.committed(), text.toString());
                assertTrue(wave.commitMillis().get(FLEET - 1) >= 3_000, "the slow vehicles commit after 3 s: "
                        + wave.commitMillis());
            }
            default -> {
                assertEquals(Campaign.State.COMPLETED, o.campaign().orElseThrow(), kind + "\n" + text);
                assertEquals(FLEET, wave.committed(), "every vehicle commits despite " + kind);
                assertEquals(Map.of("1.0.0", FLEET), o.activeVersions());
            }
        }
    }
}
