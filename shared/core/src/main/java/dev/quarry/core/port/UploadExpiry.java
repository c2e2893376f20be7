package dev.quarry.core.port;

import java.time.Duration;

/**
 * Asks the pipeline to look at a document created through the API once its upload URL has expired: a record whose
 * bytes never came is then ended FAILED UPLOAD_EXPIRED in the store (the index stage does it, on a message the
 * queue holds back until then).
 */
@FunctionalInterface
public interface UploadExpiry {

    void schedule(String documentId, Duration after);

    /** Nothing is scheduled: the API still reads an expired record as FAILED UPLOAD_EXPIRED. */
    static UploadExpiry none() {
        return (documentId, after) -> { };
    }
}
