package dev.quarry.adapters.s3;

import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ErrorCode;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bucket through the AWS SDK v2 S3 client (S3Mock behind the local proxy, or S3). */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new ObjectMissingException(key);
        } catch (S3Exception e) {
            throw wrap("read", key, e);
        } catch (SdkClientException e) {
            throw new RetryableException("Failed to read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void download(String key, String expectedETag, Path target) {
        try {
            Files.deleteIfExists(target);
            s3.getObject(b -> {
                b.bucket(bucket).key(key);
                if (expectedETag != null) {
                    b.ifMatch("\"" + expectedETag + "\"");
                }
            }, ResponseTransformer.toFile(target));
        } catch (NoSuchKeyException e) {
            throw new ObjectMissingException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectChangedException(key, expectedETag);
            }
            if (e.statusCode() == 404) {
                throw new ObjectMissingException(key);
            }
            throw wrap("download", key, e);
        } catch (SdkClientException e) {
            throw new RetryableException("Failed to download s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new RetryableException("Failed to prepare " + target + " for s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            throw wrap("write", key, e);
        } catch (SdkClientException e) {
            throw new RetryableException("Failed to write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw wrap("delete", key, e);
        } catch (SdkClientException e) {
            throw new RetryableException("Failed to delete s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                keys.add(o.key());
            }
        } catch (S3Exception e) {
            throw wrap("list", prefix, e);
        } catch (SdkClientException e) {
            throw new RetryableException("Failed to list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
        return keys;
    }

    @Override
    public int deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            try {
                var response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    throw new RetryableException("Failed to delete " + response.errors().size() + " objects under s3://" + bucket + "/"
                            + prefix + ", e.g. " + response.errors().get(0).key() + ": " + response.errors().get(0).code());
                }
            } catch (S3Exception e) {
                throw wrap("delete objects under", prefix, e);
            } catch (SdkClientException e) {
                throw new RetryableException("Failed to delete objects under s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
            }
        }
        return keys.size();
    }

    private RuntimeException wrap(String action, String key, S3Exception e) {
        String message = "Failed to " + action + " s3://" + bucket + "/" + key + ": " + e.statusCode() + " "
                + e.awsErrorDetails().errorCode();
        if (e.statusCode() == 429 || e.statusCode() >= 500) {
            return new RetryableException(message, e);
        }
        if (e.statusCode() == 401 || e.statusCode() == 403) {
            return new PermanentException(ErrorCode.ACCESS_DENIED, message + " (access denied: check the function role's S3 permissions"
                    + " and the bucket policy)", e);
        }
        return new PermanentException(ErrorCode.INTERNAL, message, e);
    }
}
