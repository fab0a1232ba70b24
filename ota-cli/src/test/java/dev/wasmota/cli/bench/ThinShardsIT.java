package dev.wasmota.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.Broker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ota bench campaign --thin} across processes: one runs the OEM and vehicles 1-12, another
 * {@code --vehicles-only} vehicles 13-24 with the first one's OEM directory, both on one Mosquitto.
 * The OEM's run ends only when it counted all 24 vehicles' signed reports, so the other process's
 * vehicles took their instructions and reported through the shared broker; each prints its own
 * figures. A second pair does the same with parked vehicles (at most 4 online in each process).
 */
class ThinShardsIT {
    private static final int FLEET = 24;

    @TempDir
    Path dir;

    @Test
    void twoProcessesShareOneFleetOneOemAndOneBroker() throws Exception {
        run(new String[0], "connected");
    }

    @Test
    void parkedVehiclesOfTwoProcessesRollOutToo() throws Exception {
        run(new String[] {"--online", "4"}, "parked");
    }

    private void run(String[] extra, String what) throws Exception {
        try (Broker broker = BrokerKind.MOSQUITTO.start(BrokerSettings.builder(Files.createDirectories(dir.resolve("broker")))
                .port(0).build())) {
            Path lead = dir.resolve("lead");
            StringWriter leadOut = new StringWriter();
            CompletableFuture<Integer> leader = CompletableFuture.supplyAsync(() -> bench(leadOut, concat(new String[] {
                    "--thin", "--vehicles", "" + FLEET, "--vehicle-ids", "1-12", "--broker", broker.url(), "--work", lead.toString(),
                    "--campaign-delay", "10s", "--timeout", "3m"}, extra)));
            Path oem = lead.resolve("oem");
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!leadOut.toString().contains("thin vehicles " + what) && System.nanoTime() < end && !leader.isDone()) {
                Thread.sleep(100);
            }
            assertTrue(leadOut.toString().contains("OEM directory"), leadOut.toString());
            StringWriter otherOut = new StringWriter();
            int other = bench(otherOut, concat(new String[] {"--thin", "--vehicles", "" + FLEET, "--vehicle-ids", "13-24",
                    "--vehicles-only", "--oem", oem.toString(), "--broker", broker.url(), "--work", dir.resolve("other").toString(),
                    "--timeout", "3m"}, extra));

            assertEquals(0, other, otherOut.toString());
            assertEquals(0, leader.get(4, TimeUnit.MINUTES), leadOut.toString());
            String o = otherOut.toString();
            assertTrue(o.contains("this process: 12 vehicle(s), the OEM elsewhere"), o);
            assertTrue(o.contains("campaign_v24_first_instruction_to_last_report_s="), o);
            assertTrue(!o.contains("submit_to_all_committed"), "the vehicles' process does not claim the OEM's figure: " + o);
            String l = leadOut.toString();
            assertTrue(l.contains("this process: 12 vehicle(s) and the OEM"), l);
            assertTrue(l.contains("campaign_v24_submit_to_all_committed_s="), "the OEM counted all 24: " + l);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static int bench(StringWriter out, String[] args) {
        args = concat(args, new String[] {"--corpus", dev.wasmota.ecu.sandbox.Corpus.path("healthy_v1.wasm").getParent().toString()});
        return new CommandLine(new CampaignBench()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                .execute(args);
    }
}
