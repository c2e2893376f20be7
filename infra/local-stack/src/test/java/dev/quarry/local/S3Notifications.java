package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;

/** S3 event notifications as the bucket sends them to SQS, for tests that deliver one again themselves. */
final class S3Notifications {
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Notifications() {
    }

    /** An ObjectCreated:Put record of {@code key}, with the object's size, eTag and the upload's sequencer. */
    static String created(StackConfig config, String key, long size, String eTag, String sequencer) {
        var root = JSON.createObjectNode();
        var r = root.putArray("Records").addObject();
        r.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", config.region())
                .put("eventTime", Instant.now().toString()).put("eventName", "ObjectCreated:Put");
        var s3 = r.putObject("s3");
        s3.putObject("bucket").put("name", config.bucket());
        s3.putObject("object").put("key", S3NotifyingProxy.encodeKey(key)).put("size", size).put("eTag", eTag)
                .put("sequencer", sequencer);
        return root.toString();
    }
}
