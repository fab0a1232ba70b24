package dev.wasmota.cli.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code ota sim run} refuses what cannot run with one line and exit 2, before it starts a broker or a vehicle. */
class SimRunCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--vehicles 0 | --vehicles must be 1..100000",
        "--vehicles 10 --vehicle-ids five | --vehicle-ids must be FROM-TO",
        "--vehicles 10 --vehicle-ids 3-12 | --vehicle-ids must lie within 1-10",
        "--vehicles 10 --vehicles-only --vehicle-ids 1-5 | a simulator without the OEM needs the shared --broker",
        "--vehicles 10 --vehicles-only --broker tcp://127.0.0.1:1 --oem /tmp/none --db jdbc:h2:mem:x | --db is for the simulator that runs the OEM",
        "--vehicles 10 --then later | --then must be nothing, shadow or call-time-regression",
        "--vehicles 10 --faults meteor=3 | meteor"})
    void refusesWithAOneLineReason(String args, String reason) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SimRunCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err, true)).execute(args.trim().split(" +"));

        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains(reason.trim()), err.toString());
        assertEquals(1, err.toString().lines().takeWhile(l -> !l.startsWith("Usage")).filter(l -> !l.isBlank()).count(),
                "one line before the usage: " + err);
    }
}
