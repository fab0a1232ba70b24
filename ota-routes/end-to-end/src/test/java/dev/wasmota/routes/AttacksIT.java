package dev.wasmota.routes;

import dev.wasmota.protocol.RouteFailure;

import dev.wasmota.signing.pki.TrustHierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.CraftedPackages;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Uptane threat catalogue, adapted, end to end: each attack arrives over a real broker
 * (Mosquitto) on a vehicle's update topic, or at the OEM's intake, and must be refused with its
 * named reason and CONTRACT exit code, reported or dead-lettered, written to the audit log as a
 * security event, and leave every slot as it was. The vehicle under attack runs {@code healthy}
 * 3.0.0 (security version 3, with 2.0.0 kept as its rollback target, so its anti-rollback floor is
 * 2), installed by real campaigns.
 *
 * <p>The attacker is granted more than a network position where that makes the defence sharper:
 * most forged updates carry an instruction signed with the OEM's real campaign (director) key, so
 * the test shows the package's own two signatures hold even when the director is compromised.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttacksIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VICTIM = "veh-1";
    private static final String OTHER = "veh-2";

    @TempDir
    static Path dir;

    private Broker broker;
    private PipelineKit kit;
    private Release v1;
    private byte[] v1Update;
    private final AtomicLong counters = new AtomicLong(1_000_000);

    private Snapshot before;

    @BeforeAll
    void fleetRunsV2() throws Exception {
        broker = BrokerKind.MOSQUITTO.start(Brokers.settings(dir.resolve("broker")));
        kit = new PipelineKit(dir.resolve("pipeline"), broker);
        kit.startOem("w1");
        kit.startVehicle(VICTIM);
        kit.startVehicle(OTHER);
        v1 = publish(kit.healthy("1.0.0", 1, "healthy_v1.wasm"));
        rollOut(v1, List.of(VICTIM, OTHER));
        v1Update = sentUpdate(VICTIM, v1);
        rollOut(publish(kit.healthy("2.0.0", 2, "healthy_v2.wasm")), List.of(VICTIM, OTHER));
        rollOut(publish(kit.healthy("3.0.0", 3, "healthy_v1.wasm")), List.of(VICTIM, OTHER));
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void snapshot() throws IOException {
        before = Snapshot.of(host());
        assertEquals("3.0.0", before.activeVersion());
    }

    /** Whatever the attack, the victim's slots are as they were (3.0.0 active), and its log verifies. */
    @AfterEach
    void noSlotChanged() throws IOException {
        Snapshot after = Snapshot.of(host());
        assertEquals(before.modules(), after.modules(), "the slot states are untouched");
        assertEquals(before.slotFilesSha256(), after.slotFilesSha256(), "no slot file was written");
        assertTrue(AuditLog.verify(host().auditFile()).ok(), "the vehicle's audit log verifies");
    }

    // ---- arbitrary software ----

    @Test
    void unsignedPackageIsRefusedEvenWithADirectorInstruction() throws Exception {
        ModulePackage pkg = Packager.build(Fixtures.wasm("healthy_v1.wasm"), spec("4.0.0", 4, "ecu-a"));
        expectTrustRefusal(TrustFailure.UNSIGNED, PackageFile.toBytes(pkg));
    }

    @Test
    void supplierSignedPackageWithoutTheOemCountersignatureIsRefused() throws Exception {
        expectTrustRefusal(TrustFailure.COUNTERSIGNATURE_MISSING, PackageFile.toBytes(kit.healthy("4.0.0", 4, "healthy_v1.wasm")));
    }

    @Test
    void packageFromAnotherOemsPkiIsRefused() throws Exception {
        Fixtures foreign = new Fixtures(dir.resolve("foreign-oem"), 2);
        ModulePackage pkg = foreign.countersigned(foreign.supplierSigned(Packager.build(Fixtures.wasm("healthy_v1.wasm"),
                spec("4.0.0", 4, "ecu-a")), foreign.acme));
        expectTrustRefusal(TrustFailure.UNTRUSTED_SIGNER, PackageFile.toBytes(pkg));
    }

    @Test
    void acmesReleaseReSignedByAnotherEnrolledSupplierIsRefused() throws Exception {
        Fixtures.Supplier globex = kit.fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 9);
        ModulePackage acmes = released("4.0.0", 4, "healthy_v1.wasm", "ecu-a");
        ModulePackage reSigned = CraftedPackages.signUnchecked(
                new ModulePackage(acmes.manifestBytes(), acmes.wasmBytes(), Optional.empty()), globex, kit.fx.clock);
        expectTrustRefusal(TrustFailure.SUPPLIER_MISMATCH, PackageFile.toBytes(kit.fx.countersigned(reSigned)));
    }

    @Test
    void anotherSuppliersPackageOfTheVictimsModuleIsRefusedThoughTheOemCountersignedIt() throws Exception {
        Fixtures.Supplier globex = kit.fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 9);
        ModulePackage takeover = kit.fx.countersigned(kit.fx.supplierSigned(Packager.build(Fixtures.wasm("healthy_v2.wasm"),
                spec("9.0.0", 9, "ecu-a")), globex));
        expectReport(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, update(VICTIM, PackageFile.toBytes(takeover)));
    }

    // ---- rollback, freeze, replay ----

    @Test
    void olderSecurityVersionWithBothSignaturesValidIsRefusedThroughARealCampaign() throws Exception {
        try (Probe probe = new Probe(kit.mqtt, kit.topics.status(VICTIM))) {
            Campaign c = kit.campaign(v1, List.of(VICTIM), "1");
            StatusReport answer = status(probe);
            assertEquals(StatusReport.Result.FAILED, answer.result());
            assertRefusal(UpdateFailure.ANTI_ROLLBACK, ExitCode.POLICY, answer.reason());
            assertEquals(c.id(), answer.campaignId());
            assertEquals("3.0.0", answer.activeVersion());
            PipelineKit.await("the OEM to record the refusal", WAIT, () -> action(c, VICTIM) == Action.Status.FAILED);
        }
        assertSecurityEvent(UpdateFailure.ANTI_ROLLBACK);
    }

    @Test
    void expiredInstructionReplayedLaterIsRefusedAsAFreezeAttack() throws Exception {
        byte[] pkg = PackageFile.toBytes(released("4.0.0", 4, "healthy_v1.wasm", "ecu-a"));
        Instant now = PipelineKit.CLOCK.instant();
        byte[] stale = instruction(VICTIM, pkg, counters.incrementAndGet(), now.minus(Duration.ofHours(3)),
                now.minus(Duration.ofHours(2)));
        expectReport(InstructionFailure.EXPIRED, new UpdateMessage(stale, pkg).encode());
    }

    @Test
    void oldValidInstructionAndPackageReplayedAfterANewerOneAreRefused() throws Exception {
        expectReport(InstructionFailure.REPLAYED, v1Update);
    }

    // ---- mix-and-match ----

    @Test
    void manifestOfOneReleaseWithTheBinaryOfAnotherIsRefused() throws Exception {
        ModulePackage v3 = released("4.0.0", 4, "healthy_v2.wasm", "ecu-a");
        byte[] otherBinary = Fixtures.wasm("healthy_v1.wasm");
        ModulePackage mixed = new ModulePackage(v3.manifestBytes(), otherBinary, v3.signature());
        Reason expected = otherBinary.length == v3.wasmBytes().length ? TrustFailure.DIGEST_MISMATCH : TrustFailure.LENGTH_MISMATCH;
        expectTrustRefusal(expected, PackageFile.toBytes(mixed));
    }

    @Test
    void genuineUpdateForAnotherVehicleIsRefusedAndLeavesThatVehiclesRecordAlone() throws Exception {
        Release v3 = publish(kit.healthy("4.0.0", 4, "healthy_v1.wasm"));
        Campaign c = rollOut(v3, List.of(OTHER));
        byte[] othersUpdate = sentUpdate(OTHER, v3);
        expectReport(InstructionFailure.WRONG_VEHICLE, othersUpdate);
        Thread.sleep(500);
        assertEquals(Action.Status.COMMITTED, action(c, OTHER), "the victim's refusal does not rewrite veh-2's record");
    }

    // ---- capability escalation, wrong hardware ----

    @Test
    void capabilityAddedToTheManifestAfterSupplierSigningIsRefused() throws Exception {
        ModulePackage signed = released("4.0.0", 4, "healthy_v1.wasm", "ecu-a");
        Manifest m = ManifestCodec.parse(signed.manifestBytes());
        Manifest greedy = new Manifest(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                m.wasmLength(), m.exports(), CapabilitySet.parse(m.capabilities().canonical() + ",i2c:1:50"), m.memoryPages(),
                m.resources(), m.deadlineUs(), m.periodMs(), m.hardwareIds(), m.sbomSha256());
        ModulePackage edited = new ModulePackage(ManifestCodec.canonicalBytes(greedy), signed.wasmBytes(), signed.signature());
        expectTrustRefusal(TrustFailure.MANIFEST_MISMATCH, PackageFile.toBytes(edited));
    }

    @Test
    void releaseForOtherHardwareIsRefused() throws Exception {
        byte[] pkg = PackageFile.toBytes(released("4.0.0", 4, "healthy_v1.wasm", "ecu-b"));
        expectReport(UpdateFailure.WRONG_HARDWARE, update(VICTIM, pkg));
    }

    // ---- endless data, partial bundle, forged instruction ----

    @Test
    void messageOverTheBrokersLimitNeverReachesTheVehicle() throws Exception {
        long seqBefore = host().auditLog().lastSeq();
        try (Probe probe = new Probe(kit.mqtt, kit.topics.vehicleDeadLetter(VICTIM))) {
            byte[] huge = new byte[11 * 1024 * 1024];
            assertThrows(MqttException.class, () -> probe.publish(kit.topics.update(VICTIM), huge),
                    "the client refuses a packet over the broker's maximum packet size");
        }
        Thread.sleep(500);
        assertEquals(seqBefore, host().auditLog().lastSeq(), "the vehicle saw nothing");
    }

    @Test
    void packagePartOverItsLimitIsDeadLetteredBeforeItIsRead() throws Exception {
        byte[] pkg = new byte[(int) PackageFile.MAX_FILE_BYTES + 1];
        byte[] payload = Frames.encode(UpdateMessage.KIND, instruction(VICTIM, pkg, counters.incrementAndGet()), pkg);
        expectDeadLetterOnly(RouteFailure.OVERSIZED_MESSAGE, payload);
    }

    @Test
    void frameClaimingAGiantPartIsDeadLetteredWithoutAllocatingIt() throws Exception {
        byte[] payload = ByteBuffer.allocate(4 + 2 + 4).put(UpdateMessage.KIND.getBytes()).putShort((short) 2)
                .putInt(Integer.MAX_VALUE).array();
        JsonNode letter = expectDeadLetterOnly(null, payload);
        String reason = letter.path("reason").asText();
        assertTrue(reason.equals(RouteFailure.MALFORMED_MESSAGE.name()) || reason.equals(RouteFailure.OVERSIZED_MESSAGE.name()),
                reason);
    }

    @Test
    void campaignMessageMissingItsPackageIsDeadLettered() throws Exception {
        byte[] pkg = PackageFile.toBytes(released("4.0.0", 4, "healthy_v1.wasm", "ecu-a"));
        byte[] partial = Frames.encode(UpdateMessage.KIND, instruction(VICTIM, pkg, counters.incrementAndGet()));
        expectDeadLetterOnly(RouteFailure.MALFORMED_MESSAGE, partial);
    }

    @Test
    void instructionSignedByTheSupplierInsteadOfTheDirectorGetsNoAnswerAndIsDeadLettered() throws Exception {
        byte[] pkg = PackageFile.toBytes(released("4.0.0", 4, "healthy_v1.wasm", "ecu-a"));
        Instant now = PipelineKit.CLOCK.instant();
        Instruction i = new Instruction("atk-" + counters.incrementAndGet(), "attack", VICTIM, "healthy", Digests.sha256Hex(pkg),
                counters.get(), now.minusSeconds(60), now.plus(Duration.ofHours(1)), "00112233445566778899aabbccddeeff");
        byte[] forged = SignedInstruction.sign(i, kit.fx.acme.keys().getPrivate(), kit.fx.acme.chain().get(0), kit.fx.clock);
        JsonNode letter = expectDeadLetterOnly(TrustFailure.UNTRUSTED_SIGNER, new UpdateMessage(forged, pkg).encode());
        assertEquals("vehicle-update-" + VICTIM, letter.path("route").asText());
    }

    // ---- at the OEM's intake ----

    @Test
    void intakeRefusesUnsignedAndForeignSubmissionsOverMqtt() throws Exception {
        SubmitResult unsigned = kit.submit(Packager.build(Fixtures.wasm("healthy_v1.wasm"), spec("5.0.0", 5, "ecu-a")));
        assertFalse(unsigned.accepted());
        assertEquals(Optional.of(TrustFailure.UNSIGNED.name()), unsigned.reason(), unsigned.json().toString());
        assertEquals(ExitCode.TRUST.code(), unsigned.exitCode());

        Fixtures foreign = new Fixtures(dir.resolve("foreign-intake"), 3);
        SubmitResult stranger = kit.submit(foreign.supplierSigned(Packager.build(Fixtures.wasm("healthy_v1.wasm"),
                spec("5.0.0", 5, "ecu-a")), foreign.acme));
        assertFalse(stranger.accepted());
        assertEquals(Optional.of(TrustFailure.UNTRUSTED_SIGNER.name()), stranger.reason(), stranger.json().toString());
        assertEquals(ExitCode.TRUST.code(), stranger.exitCode());

        for (Reason r : List.of(TrustFailure.UNSIGNED, TrustFailure.UNTRUSTED_SIGNER)) {
            PipelineKit.await("the OEM's audit record of the refusal " + r, WAIT, () -> kit.trail().records()
                    .stream().anyMatch(a -> a.event() == AuditEvent.MESSAGE_DEAD_LETTERED && r.name().equals(a.cause())));
        }
        assertTrue(kit.trail().verify().ok());
    }

    @Test
    void intakeRefusesAnotherSuppliersPackageOfAnOwnedModuleOverMqtt() throws Exception {
        SubmitResult owner = kit.submit(kit.healthy("6.0.0", 6, "healthy_v1.wasm"));
        assertTrue(owner.accepted(), owner.json().toString());
        Fixtures.Supplier globex = kit.fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 9);

        SubmitResult takeover = kit.submit(kit.fx.supplierSigned(Packager.build(Fixtures.wasm("healthy_v2.wasm"),
                spec("9.0.0", 9, "ecu-a")), globex), "globex");

        assertFalse(takeover.accepted());
        assertEquals(Optional.of("MODULE_OWNED_BY_ANOTHER_SUPPLIER"), takeover.reason(), takeover.json().toString());
        assertEquals(ExitCode.POLICY.code(), takeover.exitCode());
        PipelineKit.await("the OEM's security event", WAIT, () -> kit.trail().records().stream()
                .anyMatch(a -> a.event() == AuditEvent.SECURITY_EVENT && "MODULE_OWNED_BY_ANOTHER_SUPPLIER".equals(a.cause())));
        assertTrue(kit.trail().verify().ok());
    }

    // ---- the checks every vehicle-side attack shares ----

    /** A refused package with a valid (director-signed) instruction: reported FAILED, and dead-lettered as untrusted. */
    private void expectTrustRefusal(Reason reason, byte[] packageFile) throws Exception {
        byte[] payload = update(VICTIM, packageFile);
        try (Probe probe = new Probe(kit.mqtt, kit.topics.status(VICTIM), kit.topics.vehicleDeadLetter(VICTIM))) {
            probe.publish(kit.topics.update(VICTIM), payload);
            StatusReport answer = status(probe);
            assertEquals(StatusReport.Result.FAILED, answer.result());
            assertRefusal(reason, ExitCode.TRUST, answer.reason());
            JsonNode letter = deadLetter(probe);
            assertEquals(reason.name(), letter.path("reason").asText());
            assertEquals(Digests.sha256Hex(payload), letter.path("payloadSha256").asText());
        }
        assertSecurityEvent(reason);
        assertDeadLetterAudited(reason);
    }

    /** A refusal on policy grounds: reported FAILED with the reason, audited as a security event. */
    private void expectReport(Reason reason, byte[] payload) throws Exception {
        try (Probe probe = new Probe(kit.mqtt, kit.topics.status(VICTIM))) {
            probe.publish(kit.topics.update(VICTIM), payload);
            StatusReport answer = status(probe);
            assertEquals(StatusReport.Result.FAILED, answer.result());
            assertRefusal(reason, ExitCode.POLICY, answer.reason());
            assertEquals("3.0.0", answer.activeVersion());
        }
        assertSecurityEvent(reason);
    }

    /** A message nothing in which can be trusted: no answer, only a dead letter with the reason. */
    private JsonNode expectDeadLetterOnly(Reason reason, byte[] payload) throws Exception {
        JsonNode letter;
        try (Probe probe = new Probe(kit.mqtt, kit.topics.status(VICTIM), kit.topics.vehicleDeadLetter(VICTIM))) {
            probe.publish(kit.topics.update(VICTIM), payload);
            Probe.Message first = probe.nextAny(WAIT);
            assertEquals(kit.topics.vehicleDeadLetter(VICTIM), first.topic(), "no status report answers it");
            letter = JSON.readTree(Frames.decode(first.payload(), "WOTD", 2, 64 * 1024, 64 * 1024).get(0));
        }
        if (reason != null) {
            assertEquals(reason.name(), letter.path("reason").asText());
            assertDeadLetterAudited(reason);
        }
        return letter;
    }

    private static void assertRefusal(Reason expected, ExitCode code, String reported) {
        assertEquals(expected.name(), reported);
        assertEquals(code, expected.exitCode(), "CONTRACT exit code of " + expected);
    }

    private void assertSecurityEvent(Reason reason) {
        List<AuditRecord> added = AuditLog.read(host().auditFile()).stream().filter(r -> r.seq() > before.auditSeq()).toList();
        assertTrue(added.stream().anyMatch(r -> r.event() == AuditEvent.SECURITY_EVENT && reason.name().equals(r.cause())),
                "a SECURITY_EVENT with cause " + reason + " in " + added);
        assertTrue(added.stream().anyMatch(r -> r.event() == AuditEvent.INSTALL_REFUSED && reason.name().equals(r.cause())),
                "an INSTALL_REFUSED with cause " + reason);
        assertTrue(added.stream().noneMatch(r -> r.event() == AuditEvent.INSTALL_STAGED || r.event() == AuditEvent.INSTALL_COMMITTED),
                "nothing was staged or committed");
    }

    private void assertDeadLetterAudited(Reason reason) throws InterruptedException {
        PipelineKit.await("the dead letter's audit record", WAIT, () -> AuditLog.read(host().auditFile()).stream()
                .anyMatch(r -> r.seq() > before.auditSeq() && r.event() == AuditEvent.MESSAGE_DEAD_LETTERED
                        && reason.name().equals(r.cause())));
    }

    // ---- building blocks ----

    private EcuHost host() {
        return kit.hosts.get(VICTIM);
    }

    private Release publish(ModulePackage supplierSigned) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(supplierSigned)));
    }

    private Campaign rollOut(Release release, List<String> vehicles) throws InterruptedException {
        Campaign c = kit.campaign(release, vehicles, "100%");
        PipelineKit.await(release.id() + " to complete", WAIT, () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
        return c;
    }

    private Action.Status action(Campaign c, String vehicle) {
        return kit.oem().campaigns().actions(c.id()).stream().filter(a -> a.vehicleId().equals(vehicle)).findFirst()
                .orElseThrow().status();
    }

    /** Signed by acme and countersigned by the OEM, never through intake or the release store. */
    private ModulePackage released(String version, long securityVersion, String wasm, String hardware) {
        return kit.fx.countersigned(kit.fx.supplierSigned(Packager.build(Fixtures.wasm(wasm),
                spec(version, securityVersion, hardware)), kit.fx.acme));
    }

    private static PackageSpec spec(String version, long securityVersion, String hardware) {
        PackageSpec s = Fixtures.spec("healthy", version, securityVersion, Fixtures.HEALTHY_CAPS);
        return new PackageSpec(s.moduleId(), s.version(), s.securityVersion(), s.supplierId(), s.capabilities(), s.memoryPages(),
                s.deadlineUs(), s.periodMs(), List.of(hardware), s.sbomSha256());
    }

    /** An update naming {@code packageFile}, with an instruction signed by the OEM's own campaign key. */
    private byte[] update(String vehicle, byte[] packageFile) {
        return new UpdateMessage(instruction(vehicle, packageFile, counters.incrementAndGet()), packageFile).encode();
    }

    private byte[] instruction(String vehicle, byte[] packageFile, long counter) {
        Instant now = PipelineKit.CLOCK.instant();
        return instruction(vehicle, packageFile, counter, now.minusSeconds(60), now.plus(Duration.ofHours(1)));
    }

    private byte[] instruction(String vehicle, byte[] packageFile, long counter, Instant issued, Instant expires) {
        Instruction i = new Instruction("atk-" + counter, "attack", vehicle, "healthy", Digests.sha256Hex(packageFile), counter,
                issued, expires, "00112233445566778899aabbccddeeff");
        return SignedInstruction.sign(i, kit.pki.campaign().key(), kit.pki.campaign().cert(), kit.fx.clock);
    }

    private StatusReport status(Probe probe) throws InterruptedException {
        return SignedStatus.open(probe.next(kit.topics.status(VICTIM), WAIT).payload(), kit.fx.oem.trustStore(),
                PipelineKit.CLOCK.instant());
    }

    private JsonNode deadLetter(Probe probe) throws InterruptedException, IOException {
        byte[] payload = probe.next(kit.topics.vehicleDeadLetter(VICTIM), WAIT).payload();
        return JSON.readTree(Frames.decode(payload, "WOTD", 2, 64 * 1024, 64 * 1024).get(0));
    }

    /** The update the OEM sent {@code vehicle} for {@code release}, rebuilt from the sent message in its outbox. */
    private byte[] sentUpdate(String vehicle, Release release) throws IOException {
        byte[] pkg = kit.oem().releases().packageBytes(release);
        String sha = Digests.sha256Hex(pkg);
        for (byte[] instruction : kit.sentInstructions(vehicle)) {
            if (SignedInstruction.open(instruction, kit.fx.oem.trustStore(), PipelineKit.CLOCK).packageSha256().equals(sha)) {
                return new UpdateMessage(instruction, pkg).encode();
            }
        }
        throw new AssertionError("no instruction for " + release.id() + " was sent to " + vehicle);
    }

    /** What an attack must not change: the module states, the bytes of every slot file, and where the log stood. */
    private record Snapshot(List<ModuleState> modules, String slotFilesSha256, long auditSeq) {
        static Snapshot of(EcuHost host) throws IOException {
            MessageDigest md = Digests.sha256();
            Path modulesDir = host.config().stateDir().resolve("slots");
            try (Stream<Path> files = Files.walk(modulesDir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    md.update(modulesDir.relativize(f).toString().getBytes());
                    md.update(Files.readAllBytes(f));
                }
            }
            return new Snapshot(host.modules(), HexFormat.of().formatHex(md.digest()), host.auditLog().lastSeq());
        }

        String activeVersion() {
            return modules.get(0).activeMetadata().version();
        }
    }
}
