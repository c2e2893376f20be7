package dev.quarry.core.pipeline;

import dev.quarry.core.Ids;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket layout. Uploads: {@code documents/<tenant>/<name>.pdf}. Work files, one per part of a
 * version: {@code work/<stage>/<tenant>/<documentId>/<version>/part-<n>.json}. Every key derives
 * from the source, so replays overwrite instead of adding.
 */
public final class Keys {
    public static final String DOCUMENTS = "documents/";
    public static final String RANGES = "work/ranges/";
    public static final String EXTRACTED = "work/extracted/";
    public static final String CHUNKS = "work/chunks/";
    public static final String EMBEDDED = "work/embedded/";
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private static final Pattern DOCUMENT = Pattern.compile("documents/([^/]+)/(.+)");
    private static final Pattern WORK = Pattern.compile("work/(ranges|extracted|chunks|embedded)/([^/]+)/([^/]+)/([^/]+)/part-(\\d+)\\.json");

    private Keys() {
    }

    public record DocumentKey(String tenant, String name, String documentId) {
    }

    public record WorkKey(String stage, String tenant, String documentId, String version, int part) {
    }

    public static String document(String tenant, String name) {
        return DOCUMENTS + tenant + "/" + name;
    }

    /** Parses an upload key; null when it is not one (wrong prefix, bad tenant, not a .pdf). */
    public static DocumentKey parseDocument(String key) {
        Matcher m = DOCUMENT.matcher(key);
        if (!m.matches() || !TENANT.matcher(m.group(1)).matches() || !m.group(2).toLowerCase().endsWith(".pdf")) {
            return null;
        }
        return new DocumentKey(m.group(1), m.group(2), documentId(m.group(1), m.group(2)));
    }

    public static String documentId(String tenant, String name) {
        return Ids.sha256Hex(tenant + "/" + name).substring(0, 24);
    }

    public static String work(String stagePrefix, String tenant, String documentId, String version, int part) {
        return stagePrefix + tenant + "/" + documentId + "/" + version + "/part-" + String.format("%05d", part) + ".json";
    }

    public static String workPrefix(String stagePrefix, String tenant, String documentId) {
        return stagePrefix + tenant + "/" + documentId + "/";
    }

    public static WorkKey parseWork(String key) {
        Matcher m = WORK.matcher(key);
        if (!m.matches()) {
            return null;
        }
        return new WorkKey(m.group(1), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)));
    }
}
