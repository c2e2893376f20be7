package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The bucket in memory; remembers deleted keys so tests can see what was removed. */
public final class InMemoryObjectStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void clear() {
        objects.clear();
        deleted.clear();
    }

    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public byte[] get(String key) {
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            throw new ObjectMissingException(key);
        }
        return bytes;
    }

    @Override
    public void download(String key, String expectedETag, Path target) {
        try {
            Files.write(target, get(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        objects.put(key, content.clone());
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
        deleted.add(key);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public int deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        keys.forEach(this::delete);
        return keys.size();
    }
}
