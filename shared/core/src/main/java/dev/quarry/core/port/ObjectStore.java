package dev.quarry.core.port;

import java.nio.file.Path;
import java.util.List;

/** The bucket, seen by the pipeline. Keys are plain (decoded) S3 keys. */
public interface ObjectStore {

    /** Reads an object. @throws ObjectMissingException when there is no such key */
    byte[] get(String key);

    /**
     * Downloads an object to a file, only if it still has {@code expectedETag} (null: any).
     *
     * @throws ObjectMissingException when the key no longer exists
     * @throws ObjectChangedException when the key now holds another version
     */
    void download(String key, String expectedETag, Path target);

    void put(String key, byte[] content, String contentType);

    void delete(String key);

    List<String> list(String prefix);

    /** Deletes every object under the prefix; returns how many. */
    int deletePrefix(String prefix);

    final class ObjectMissingException extends RuntimeException {
        public ObjectMissingException(String key) {
            super("No object at " + key);
        }
    }

    final class ObjectChangedException extends RuntimeException {
        public ObjectChangedException(String key, String expected) {
            super("Object " + key + " no longer has eTag " + expected);
        }
    }
}
