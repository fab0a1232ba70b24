package dev.wasmota.signing.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner;
import dev.wasmota.signing.pkg.ReleaseAttributes.Transfer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The module-owner statement in the OEM countersignature: round trip through a real signature, and each malformed shape refused. */
class ModuleOwnerAttributeTest {
    static final Instant AT = Instant.parse("2026-06-02T10:00:00Z");
    static final Transfer ACME_TO_GLOBEX = new Transfer("acme", "globex", 4, AT);
    static final Transfer GLOBEX_TO_INITECH = new Transfer("globex", "initech", 9, AT.plusSeconds(3600));

    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    VerifiedPackage countersignedWith(AttributeTable attributes) {
        ModulePackage signed = fx.supplierSigned(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), fx.acme);
        ModulePackage released = new PackageSigner(fx.clock).countersign(signed, fx.oem.release().key(),
                fx.oem.release().cert(), attributes);
        return new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(released);
    }

    @Test
    void roundTripsTheOwnerAndItsTransfersThroughAVerifiedCountersignature() {
        ModuleOwner owner = new ModuleOwner("healthy", "initech", List.of(ACME_TO_GLOBEX, GLOBEX_TO_INITECH));
        ReleaseAttributes.CompiledOutput output = new ReleaseAttributes.CompiledOutput("chicory", "ab".repeat(32));

        VerifiedPackage v = countersignedWith(ReleaseAttributes.of(output, owner));

        assertEquals(Optional.of(owner), ReleaseAttributes.moduleOwner(v));
        assertEquals(Optional.of(output), ReleaseAttributes.compiledOutput(v), "the compiled-output statement rides along");
    }

    @Test
    void aCountersignatureWithoutTheStatementStatesNoOwner() {
        assertEquals(Optional.empty(), ReleaseAttributes.moduleOwner(
                new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(fx.released())));
    }

    static Stream<ASN1Encodable> malformedValues() {
        DERSequence transfer = seq(utf8("acme"), utf8("globex"), new ASN1Integer(4), new DERGeneralizedTime("20260602100000Z"));
        return Stream.of(
                utf8("acme"),
                seq(utf8("healthy"), utf8("acme")),
                seq(utf8("healthy"), utf8("acme"), seq(), utf8("extra")),
                seq(utf8("healthy"), utf8("Acme Corp"), seq()),
                seq(utf8("../etc"), utf8("acme"), seq()),
                seq(utf8("healthy"), utf8("globex"), seq(seq(utf8("acme"), utf8("globex"), new ASN1Integer(4)))),
                seq(utf8("healthy"), utf8("globex"), seq(seq(utf8("acme"), utf8("globex"), new ASN1Integer(-1),
                        new DERGeneralizedTime("20260602100000Z")))),
                seq(utf8("healthy"), utf8("globex"), seq(seq(utf8("acme"), utf8("globex"), new ASN1Integer(1L << 40),
                        new DERGeneralizedTime("20260602100000Z")))),
                seq(utf8("healthy"), utf8("globex"), seq(seq(utf8("acme"), utf8("globex"),
                        new ASN1Integer(new java.math.BigInteger("1" + "0".repeat(30))), new DERGeneralizedTime("20260602100000Z")))),
                seq(utf8("healthy"), utf8("globex"), seq(Collections.nCopies(ReleaseAttributes.MAX_TRANSFERS + 1, transfer)
                        .toArray(ASN1Encodable[]::new))));
    }

    @ParameterizedTest
    @MethodSource("malformedValues")
    void refusesAMalformedOwnerStatementAsABadSignature(ASN1Encodable value) {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(ReleaseAttributes.MODULE_OWNER, new DERSet(value)));
        VerifiedPackage v = countersignedWith(new AttributeTable(attrs));

        RejectedException e = assertThrows(RejectedException.class, () -> ReleaseAttributes.moduleOwner(v));
        assertEquals(TrustFailure.BAD_SIGNATURE, e.reason());
        assertEquals(3, e.exitCode().code());
    }

    @Test
    void refusesAnOwnerAttributeWithTwoValues() {
        DERSequence one = seq(utf8("healthy"), utf8("acme"), seq());
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(ReleaseAttributes.MODULE_OWNER, new DERSet(new ASN1Encodable[] {one,
                seq(utf8("healthy"), utf8("globex"), seq())})));
        VerifiedPackage v = countersignedWith(new AttributeTable(attrs));

        assertEquals(TrustFailure.BAD_SIGNATURE, assertThrows(RejectedException.class,
                () -> ReleaseAttributes.moduleOwner(v)).reason());
    }

    @Test
    void findsTheTransfersSinceTheFormerOwnerLastGaveTheModuleAway() {
        Transfer back = new Transfer("initech", "acme", 12, AT.plusSeconds(7200));
        Transfer again = new Transfer("acme", "globex", 15, AT.plusSeconds(9000));
        ModuleOwner owner = new ModuleOwner("healthy", "globex", List.of(ACME_TO_GLOBEX, GLOBEX_TO_INITECH, back, again));

        assertEquals(Optional.of(List.of(again)), owner.transfersSince("acme"));
        assertEquals(Optional.of(List.of(GLOBEX_TO_INITECH, back, again)), owner.transfersSince("globex"));
        assertEquals(Optional.empty(), owner.transfersSince("umbrella"));
        assertTrue(owner.consistent());
    }

    @Test
    void transfersAreConsistentOnlyWhenEachOneStartsWhereTheLastEndedAndTheyEndAtTheOwner() {
        assertTrue(new ModuleOwner("healthy", "acme", List.of()).consistent());
        assertTrue(new ModuleOwner("healthy", "initech", List.of(ACME_TO_GLOBEX, GLOBEX_TO_INITECH)).consistent());
        assertFalse(new ModuleOwner("healthy", "globex", List.of(ACME_TO_GLOBEX, GLOBEX_TO_INITECH)).consistent(),
                "ends at initech, not at the owner");
        assertFalse(new ModuleOwner("healthy", "initech", List.of(GLOBEX_TO_INITECH, ACME_TO_GLOBEX)).consistent(),
                "out of order");
        assertFalse(new ModuleOwner("healthy", "acme", List.of(new Transfer("acme", "acme", 2, AT))).consistent(),
                "a transfer to itself");
    }

    private static DERUTF8String utf8(String s) {
        return new DERUTF8String(s);
    }

    private static DERSequence seq(ASN1Encodable... items) {
        return new DERSequence(items);
    }
}
