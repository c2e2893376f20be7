package dev.quarry.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic identifiers. Every id derives from the source, never from randomness, so replaying
 * a stage overwrites what it wrote before instead of duplicating it.
 */
public final class Ids {
    private static final int CHUNK_ID_HEX_CHARS = 32;

    private Ids() {
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** First 32 hex chars of {@code sha256(documentId@version#part#ordinal)}. */
    public static String chunkId(String documentId, String version, int part, int ordinal) {
        return sha256Hex(documentId + "@" + version + "#" + part + "#" + ordinal).substring(0, CHUNK_ID_HEX_CHARS);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM must provide SHA-256", e);
        }
    }
}
