package dev.wasmota.contract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 and lowercase hex, the digest form every format of the product uses. */
public final class Digests {
    /** A lowercase hex SHA-256. */
    public static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(sha256(data));
    }

    public static String hex(byte[] data) {
        return HEX.formatHex(data);
    }

    /** A fresh SHA-256 digest, for incremental hashing. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
