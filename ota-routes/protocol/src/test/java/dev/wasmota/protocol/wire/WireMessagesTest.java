package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link UpdateMessage} and {@link Submission}: the two opaque carriers over {@link Frames}. */
class WireMessagesTest {
    static final byte[] INSTRUCTION = "signed instruction".getBytes(StandardCharsets.UTF_8);
    static final byte[] PACKAGE = "package bytes".getBytes(StandardCharsets.UTF_8);
    static final byte[] VECTORS = "{\"vectors\":[]}".getBytes(StandardCharsets.UTF_8);

    static void assertRejected(RouteFailure reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    /** A frame of {@code kind} whose parts are {@code first} and then a header claiming {@code claimed} bytes. */
    static byte[] claiming(String kind, byte[] first, long claimed) {
        return ByteBuffer.allocate(6 + 4 + first.length + 4 + 8).put(kind.getBytes(StandardCharsets.US_ASCII))
                .put((byte) Frames.VERSION).put((byte) 2).putInt(first.length).put(first).putInt((int) claimed)
                .put(new byte[8]).array();
    }

    @Test
    void roundTripsAnUpdate() {
        UpdateMessage back = UpdateMessage.decode(new UpdateMessage(INSTRUCTION, PACKAGE).encode());
        assertArrayEquals(INSTRUCTION, back.instruction());
        assertArrayEquals(PACKAGE, back.packageFile());
    }

    @Test
    void framesAnUpdateUnderItsKind() {
        byte[] encoded = new UpdateMessage(INSTRUCTION, PACKAGE).encode();
        assertEquals(UpdateMessage.KIND, new String(encoded, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(6 + 8 + INSTRUCTION.length + PACKAGE.length, encoded.length);
    }

    @Test
    void roundTripsAnUpdateWithAnInstructionAtItsLimit() {
        byte[] instruction = new byte[SignedInstruction.MAX_FILE_BYTES];
        assertArrayEquals(instruction, UpdateMessage.decode(new UpdateMessage(instruction, PACKAGE).encode()).instruction());
    }

    @Test
    void refusesUpdateWithAnOversizedInstruction() {
        byte[] encoded = new UpdateMessage(new byte[SignedInstruction.MAX_FILE_BYTES + 1], PACKAGE).encode();
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> UpdateMessage.decode(encoded));
    }

    @Test
    void refusesUpdateClaimingAnOversizedPackageBeforeReadingIt() {
        assertRejected(RouteFailure.OVERSIZED_MESSAGE,
                () -> UpdateMessage.decode(claiming(UpdateMessage.KIND, INSTRUCTION, PackageFile.MAX_FILE_BYTES + 1)));
        assertRejected(RouteFailure.MALFORMED_MESSAGE,
                () -> UpdateMessage.decode(claiming(UpdateMessage.KIND, INSTRUCTION, PackageFile.MAX_FILE_BYTES)));
    }

    @Test
    void refusesUpdateWithoutItsPackage() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> UpdateMessage.decode(Frames.encode(UpdateMessage.KIND, INSTRUCTION)));
    }

    @Test
    void refusesUpdateWithAThirdPart() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE,
                () -> UpdateMessage.decode(Frames.encode(UpdateMessage.KIND, INSTRUCTION, PACKAGE, VECTORS)));
    }

    @Test
    void refusesSubmissionDecodedAsUpdateAndTheOtherWayRound() {
        byte[] submission = new Submission(PACKAGE, Optional.of(VECTORS)).encode();
        byte[] update = new UpdateMessage(INSTRUCTION, PACKAGE).encode();
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> UpdateMessage.decode(submission));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Submission.decode(update));
    }

    @Test
    void refusesUpdateWithTrailingBytes() {
        byte[] encoded = new UpdateMessage(INSTRUCTION, PACKAGE).encode();
        byte[] longer = java.util.Arrays.copyOf(encoded, encoded.length + 1);
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> UpdateMessage.decode(longer));
    }

    @Test
    void roundTripsASubmissionWithVectors() {
        Submission back = Submission.decode(new Submission(PACKAGE, Optional.of(VECTORS)).encode());
        assertArrayEquals(PACKAGE, back.packageFile());
        assertTrue(back.vectors().isPresent());
        assertArrayEquals(VECTORS, back.vectors().get());
    }

    @Test
    void roundTripsASubmissionWithoutVectors() {
        byte[] encoded = new Submission(PACKAGE, Optional.empty()).encode();
        assertEquals(6 + 4 + PACKAGE.length, encoded.length);
        Submission back = Submission.decode(encoded);
        assertArrayEquals(PACKAGE, back.packageFile());
        assertEquals(Optional.empty(), back.vectors());
    }

    @Test
    void keepsAnEmptyVectorFileDistinctFromNone() {
        Submission back = Submission.decode(new Submission(PACKAGE, Optional.of(new byte[0])).encode());
        assertEquals(0, back.vectors().orElseThrow().length);
    }

    @Test
    void refusesSubmissionWithOversizedVectors() {
        byte[] encoded = new Submission(PACKAGE, Optional.of(new byte[Submission.MAX_VECTORS_BYTES + 1])).encode();
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Submission.decode(encoded));
    }

    @Test
    void refusesSubmissionClaimingOversizedVectorsBeforeReadingThem() {
        assertRejected(RouteFailure.OVERSIZED_MESSAGE,
                () -> Submission.decode(claiming(Submission.KIND, PACKAGE, Submission.MAX_VECTORS_BYTES + 1L)));
        assertRejected(RouteFailure.OVERSIZED_MESSAGE,
                () -> Submission.decode(claiming(Submission.KIND, PACKAGE, 0xFFFF_FFFFL)));
    }

    @Test
    void refusesSubmissionWithOversizedPackage() {
        byte[] header = ByteBuffer.allocate(6 + 4 + 4).put(Submission.KIND.getBytes(StandardCharsets.US_ASCII))
                .put((byte) Frames.VERSION).put((byte) 1).putInt((int) (PackageFile.MAX_FILE_BYTES + 1)).put(new byte[4])
                .array();
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Submission.decode(header));
    }

    @Test
    void refusesSubmissionWithoutParts() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Submission.decode(Frames.encode(Submission.KIND)));
    }

    @Test
    void refusesSubmissionWithAThirdPart() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE,
                () -> Submission.decode(Frames.encode(Submission.KIND, PACKAGE, VECTORS, VECTORS)));
    }
}
