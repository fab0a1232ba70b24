package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.oem.campaign.Campaign;
import org.junit.jupiter.api.Test;

/**
 * The campaign commands through the management API ({@code --api URL --tls DIR}): an operator
 * steers a campaign with no database access, each change audited as the operator; a viewer's
 * change and an illegal step are refused with the reason and exit code the command gives locally.
 */
class CampaignApiCliTest extends ApiCliTestBase {
    @Test
    void anOperatorSteersACampaignWithoutTheDatabase() throws Exception {
        CampaignCli.Result started = ok("campaign", "start", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        assertTrue(started.out().startsWith("started campaign c1: RUNNING, wave 1/2"), started.out());
        ok("campaign", "pause", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        assertEquals(Campaign.State.PAUSED, ws.campaigns().get("c1").state());
        assertEquals("operator/alice", ws.trail().records(AuditEvent.CAMPAIGN_PAUSED).get(0).actor());
        CampaignCli.Result status = ok("campaign", "status", "--api", url, "--tls", viewer.toString(), "--campaign", "c1",
                "--json");
        assertEquals("PAUSED", new ObjectMapper().readTree(status.out()).get("state").asText());
        ok("campaign", "abort", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        assertEquals(Campaign.State.ABORTED, ws.campaigns().get("c1").state());
    }

    @Test
    void createsACampaignOfAPublishedRelease() {
        ok("campaign", "abort", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        CampaignCli.Result r = ok("campaign", "create", "--api", url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--hardware", "ecu-a", "--waves", "50%,100%", "--id", "c2");
        assertTrue(r.out().startsWith("created campaign c2: CREATED, wave 0/2"), r.out());
        assertEquals("operator/alice", ws.trail().records(AuditEvent.CAMPAIGN_CREATED).get(1).actor());
    }

    @Test
    void createsAShadowCampaignAndDiscardsItsShadowsThroughTheApi() {
        ok("campaign", "abort", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        CampaignCli.Result r = ok("campaign", "create", "--api", url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--vehicles", "veh-1,veh-2", "--waves", "100%", "--id", "c-sh", "--shadow-ticks", "600",
                "--shadow-tolerance", "0x220:2", "--health-p99-margin", "150", "--health-baseline-us", "80");
        assertTrue(r.out().contains("delivered as a shadow: 600 compared ticks"), r.out());
        assertTrue(r.out().contains("waves gated on runtime health: p99 <= 150 % of 80 µs"), r.out());
        assertEquals(600, ws.campaigns().rolloutOptions("c-sh").shadow().orElseThrow().ticks());
        ok("campaign", "start", "--api", url, "--tls", operator.toString(), "--campaign", "c-sh");

        CampaignCli.Result discarded = ok("campaign", "shadow-discard", "--api", url, "--tls", operator.toString(),
                "--campaign", "c-sh", "--reason", "writes 127 on 0x220");
        assertTrue(discarded.out().startsWith("discarded the shadows of campaign c-sh: 2 signed command(s) queued"),
                discarded.out());
        assertEquals(Campaign.State.ABORTED, ws.campaigns().get("c-sh").state());
        assertEquals("operator/alice", ws.trail().records(AuditEvent.CAMPAIGN_SHADOW_DECIDED).get(0).actor());
        CampaignCli.Result remote = cli.run("campaign", "shadow-promote", "--api", url, "--tls", operator.toString(),
                "--campaign", "c-sh");
        CampaignCli.Result local = cli.run("campaign", "shadow-promote", "--oem", oem, "--campaign", "c-sh");
        assertEquals(4, remote.code(), remote.err());
        assertEquals(local.code(), remote.code());
        assertTrue(remote.err().startsWith("rejected (SHADOW_DECIDED): campaign c-sh's shadows were already concluded"),
                remote.err());
    }

    @Test
    void refusesAViewersChangeWithTheCommandsExitCode() {
        CampaignCli.Result r = cli.run("campaign", "start", "--api", url, "--tls", viewer.toString(), "--campaign", "c1");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().startsWith("rejected (FORBIDDEN): viewer/bob is a viewer"), r.err());
        assertEquals(Campaign.State.CREATED, ws.campaigns().get("c1").state());
    }

    @Test
    void refusesAnIllegalStepAsTheLocalCommandDoes() {
        CampaignCli.Result remote = cli.run("campaign", "pause", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        CampaignCli.Result local = cli.run("campaign", "pause", "--oem", oem, "--campaign", "c1");
        assertEquals(local.code(), remote.code());
        assertTrue(remote.err().startsWith("rejected (ILLEGAL_TRANSITION): campaign c1 is CREATED"), remote.err());
        assertEquals(local.err(), remote.err());
    }

    @Test
    void refusesMixingTheApiWithTheDatabase() {
        assertEquals(2, cli.run("campaign", "pause", "--api", url, "--oem", oem, "--campaign", "c1").code());
        assertEquals(2, cli.run("campaign", "pause", "--api", url, "--campaign", "c1").code());
        assertEquals(2, cli.run("campaign", "pause", "--api", "http://127.0.0.1:1", "--tls", operator.toString(),
                "--campaign", "c1").code());
        assertEquals(2, cli.run("campaign", "report", "--api", url, "--tls", operator.toString(), "--campaign", "c1").code());
    }
}
