package dev.quarry.testsupport;

import dev.quarry.core.port.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A bucket in memory. Like S3 for a single-part upload, an object's eTag is the MD5 hex of its
 * content, and listings come back in key order.
 */
public final class InMemoryObjectStore implements ObjectStore {

    /** One object as stored. */
    public record StoredObject(byte[] content, String contentType, String eTag) {
    }

    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final Map<String, RuntimeException> failNextPut = new ConcurrentSkipListMap<>();

    @Override
    public byte[] get(String key) {
        return require(key).content().clone();
    }

    @Override
    public void download(String key, String expectedETag, Path target) {
        StoredObject object = require(key);
        if (expectedETag != null && !expectedETag.equals(object.eTag())) {
            throw new ObjectChangedException(key, expectedETag);
        }
        try {
            Files.write(target, object.content());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + key + " to " + target, e);
        }
    }

    /** The next put of a key under {@code prefix} throws {@code error} and stores nothing, as a failed S3 PUT. */
    public void failNextPut(String prefix, RuntimeException error) {
        failNextPut.put(prefix, error);
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        for (String prefix : failNextPut.keySet()) {
            if (key.startsWith(prefix)) {
                RuntimeException error = failNextPut.remove(prefix);
                if (error != null) {
                    throw error;
                }
            }
        }
        objects.put(key, new StoredObject(content.clone(), contentType, md5Hex(content)));
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (String key : list(prefix)) {
            if (objects.remove(key) != null) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Stores {@code content} and returns its eTag, to put into the S3 event that announces it. */
    public String putObject(String key, byte[] content, String contentType) {
        put(key, content, contentType);
        return eTag(key);
    }

    public String eTag(String key) {
        return require(key).eTag();
    }

    public Optional<StoredObject> find(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    public String getString(String key) {
        return new String(get(key), StandardCharsets.UTF_8);
    }

    public boolean contains(String key) {
        return objects.containsKey(key);
    }

    /** Every key, in order. */
    public List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    public void clear() {
        failNextPut.clear();
        objects.clear();
    }

    /** The eTag S3 gives a single-part upload of {@code content}. */
    public static String md5Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM must provide MD5", e);
        }
    }

    private StoredObject require(String key) {
        StoredObject object = objects.get(key);
        if (object == null) {
            throw new ObjectMissingException(key);
        }
        return object;
    }
}
