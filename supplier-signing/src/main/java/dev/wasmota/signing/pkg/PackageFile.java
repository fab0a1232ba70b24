package dev.wasmota.signing.pkg;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The package file format, read with every size bounded before anything is allocated.
 *
 * <pre>
 *   magic   8 bytes  "WOTAPKG1"
 *   count   1 byte   2..4: the entries that follow
 *   entry   count times, in this order, each: tag (1 byte), length (4 bytes, big-endian), bytes
 *           tag 1 manifest   (canonical JSON, at most 64 KiB)
 *           tag 2 module     (.wasm, at most 8 MiB)
 *           tag 4 sbom       (optional: the supplier's CycloneDX SBOM, at most 768 KiB; its SHA-256 is the manifest's sbomSha256)
 *           tag 3 signature  (optional: CMS SignedData DER, at most 64 KiB)
 *   nothing after the last entry
 * </pre>
 *
 * A package without an SBOM is byte for byte what it was before the SBOM entry existed (count 2
 * or 3). The signatures cover the manifest, which names the SBOM's digest; the verifier checks the
 * entry against it ({@link PackageVerifier}).
 *
 * Reading checks the structure only: the manifest and the module are not parsed here.
 */
public final class PackageFile {
    public static final String EXTENSION = ".wotapkg";
    static final byte[] MAGIC = {'W', 'O', 'T', 'A', 'P', 'K', 'G', '1'};
    public static final int TAG_MANIFEST = 1;
    public static final int TAG_MODULE = 2;
    public static final int TAG_SIGNATURE = 3;
    public static final int TAG_SBOM = 4;
    public static final int MAX_SIGNATURE_BYTES = 64 * 1024;
    /** Largest SBOM a package carries: a package at every cap, with its instruction, still fits one 9 MiB MQTT message. */
    public static final int MAX_SBOM_BYTES = 768 * 1024;
    private static final int HEADER_BYTES = MAGIC.length + 1;
    private static final int ENTRY_HEADER_BYTES = 5;
    /** Largest package file accepted: header plus every entry at its cap. */
    public static final long MAX_FILE_BYTES = HEADER_BYTES + 4L * ENTRY_HEADER_BYTES
            + ManifestCodec.MAX_BYTES + Manifest.MAX_WASM_LENGTH + MAX_SBOM_BYTES + MAX_SIGNATURE_BYTES;

    private PackageFile() {
    }

    /** Reads a package file, refusing one larger than {@link #MAX_FILE_BYTES} before reading it. */
    public static ModulePackage read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw malformed("package file of " + size + " bytes exceeds the " + MAX_FILE_BYTES + "-byte limit");
            }
            return read(Channels.newInputStream(ch));
        }
    }

    /**
     * A package file's bytes, unparsed, refused as {@link #read(Path)} refuses it when it is larger
     * than {@link #MAX_FILE_BYTES}: the same reason and exit code on every path a package file takes,
     * checked before anything is allocated for it.
     */
    public static byte[] readBytes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw malformed("package file of " + size + " bytes exceeds the " + MAX_FILE_BYTES + "-byte limit");
            }
            byte[] bytes = Channels.newInputStream(ch).readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw malformed("package file grew past the " + MAX_FILE_BYTES + "-byte limit while it was read");
            }
            return bytes;
        }
    }

    /** Parses package bytes held in memory (e.g. an MQTT payload). */
    public static ModulePackage fromBytes(byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw malformed("package of " + bytes.length + " bytes exceeds the " + MAX_FILE_BYTES + "-byte limit");
        }
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one package from {@code in}: never reads past the end of the last entry, never
     * allocates more than an entry's cap, and refuses trailing bytes.
     */
    public static ModulePackage read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = readExactly(data, MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw malformed("not a package file (bad magic)");
        }
        int count = readByte(data, "entry count");
        if (count < 2 || count > 4) {
            throw malformed("package has " + count + " entries; expected 2 (unsigned), 3 (signed, or unsigned with"
                    + " an SBOM) or 4 (signed with an SBOM)");
        }
        byte[] manifest = readEntry(data, TAG_MANIFEST, "manifest", ManifestCodec.MAX_BYTES);
        byte[] wasm = readEntry(data, TAG_MODULE, "module", Manifest.MAX_WASM_LENGTH);
        Optional<byte[]> sbom = Optional.empty();
        Optional<byte[]> signature = Optional.empty();
        int left = count - 2;
        if (left > 0) {
            int tag = readByte(data, "entry tag");
            if (tag == TAG_SBOM) {
                sbom = Optional.of(readBody(data, "sbom", MAX_SBOM_BYTES));
                left--;
                tag = left > 0 ? readByte(data, "signature tag") : -1;
            }
            if (left > 0) {
                if (tag != TAG_SIGNATURE) {
                    throw malformed("expected the signature entry (tag " + TAG_SIGNATURE + "), found tag " + tag);
                }
                signature = Optional.of(readBody(data, "signature", MAX_SIGNATURE_BYTES));
                left--;
            }
            if (left > 0) {
                throw malformed("an entry follows the signature; the SBOM entry (tag " + TAG_SBOM + ") comes before it");
            }
        }
        if (data.read() != -1) {
            throw malformed("trailing bytes after the last entry");
        }
        ModulePackage pkg = new ModulePackage(manifest, wasm, signature);
        return sbom.isPresent() ? pkg.withSbom(sbom.get()) : pkg;
    }

    /** Writes {@code pkg} to {@code file}: whole or not at all (temp file, fsync, atomic rename, fsync dir). */
    public static void write(Path file, ModulePackage pkg) throws IOException {
        dev.wasmota.contract.io.DurableFiles.writeAtomic(file, toBytes(pkg));
    }

    /** The file bytes of {@code pkg}. */
    public static byte[] toBytes(ModulePackage pkg) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            Optional<byte[]> sig = pkg.signature();
            Optional<byte[]> sbom = pkg.sbom();
            out.write(MAGIC);
            out.writeByte(2 + (sbom.isPresent() ? 1 : 0) + (sig.isPresent() ? 1 : 0));
            writeEntry(out, TAG_MANIFEST, pkg.manifestBytes());
            writeEntry(out, TAG_MODULE, pkg.wasmBytes());
            if (sbom.isPresent()) {
                writeEntry(out, TAG_SBOM, sbom.get());
            }
            if (sig.isPresent()) {
                writeEntry(out, TAG_SIGNATURE, sig.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void writeEntry(DataOutputStream out, int tag, byte[] bytes) throws IOException {
        out.writeByte(tag);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readEntry(DataInputStream in, int expectedTag, String name, long cap) throws IOException {
        int tag = readByte(in, name + " tag");
        if (tag != expectedTag) {
            throw malformed("expected the " + name + " entry (tag " + expectedTag + "), found tag " + tag);
        }
        return readBody(in, name, cap);
    }

    private static byte[] readBody(DataInputStream in, String name, long cap) throws IOException {
        long length;
        try {
            length = Integer.toUnsignedLong(in.readInt());
        } catch (EOFException e) {
            throw malformed("truncated in the " + name + " length");
        }
        if (length == 0 || length > cap) {
            throw malformed(name + " entry claims " + length + " bytes; allowed 1.." + cap);
        }
        return readExactly(in, (int) length, name);
    }

    private static int readByte(DataInputStream in, String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw malformed("truncated before the " + what);
        }
        return b;
    }

    private static byte[] readExactly(DataInputStream in, int length, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw malformed("truncated in the " + what + " (" + bytes.length + " of " + length + " bytes)");
        }
        return bytes;
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_PACKAGE, detail);
    }
}
