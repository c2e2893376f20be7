package dev.quarry.functions.query.service;

import java.time.Duration;
import java.time.Instant;

/** Short-lived URLs that let a client PUT or GET one object of the documents bucket without credentials. */
public interface PresignedUrls {

    record Presigned(String url, Instant expiresAt) {
    }

    Presigned upload(String key, Duration ttl);

    Presigned download(String key, Duration ttl, String contentType);
}
