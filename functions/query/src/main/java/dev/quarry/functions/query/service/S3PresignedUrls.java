package dev.quarry.functions.query.service;

import dev.quarry.config.QuarryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/** Presigned S3 URLs, signed with the function's own credentials (its role must allow the action on the key). */
@ApplicationScoped
public class S3PresignedUrls implements PresignedUrls {

    @Inject
    S3Presigner presigner;
    @Inject
    QuarryConfig config;

    @Override
    public Presigned upload(String key, Duration ttl) {
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(o -> o.bucket(config.bucket()).key(key)));
        return new Presigned(presigned.url().toString(), presigned.expiration());
    }

    @Override
    public Presigned download(String key, Duration ttl, String contentType) {
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(config.bucket()).key(key).responseContentType(contentType)));
        return new Presigned(presigned.url().toString(), presigned.expiration());
    }
}
