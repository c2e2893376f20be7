package dev.quarry.functions.query.service;

import dev.quarry.config.QuarryConfig;
import dev.quarry.functions.query.config.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's files (classpath {@code console/}, built by Maven from {@code src/main/console} and
 * pdf.js from npm), its sign-in settings, and the Content-Security-Policy it runs under. Only the files
 * named here are served; each is read on its first request, so API-only invocations pay nothing for them.
 */
@ApplicationScoped
public class ConsoleAssets {
    /**
     * Served file => media type. Scripts are application/javascript, not text/javascript: the Lambda HTTP
     * adapter passes a text/* body as a string, anything else base64-encoded, and only the latter can carry
     * gzip (API Gateway HTTP APIs do not compress; pdf.js's worker goes from 1.2 MB to about a quarter).
     */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "application/javascript; charset=utf-8",
            "api.js", "application/javascript; charset=utf-8",
            "viewer.js", "application/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "vendor/pdf.min.mjs", "application/javascript; charset=utf-8",
            "vendor/pdf.worker.min.mjs", "application/javascript; charset=utf-8");

    /** {@code gzipped}: the same bytes gzip-compressed, for a client that accepts it; null for text/* types. */
    public record Asset(byte[] bytes, byte[] gzipped, String mediaType, String etag) {
    }

    @Inject
    PresignedUrls urls;
    @Inject
    QuarryConfig config;
    @Inject
    ConsoleConfig console;

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();
    private volatile String policy;

    public Optional<Asset> asset(String path) {
        String mediaType = FILES.get(path);
        if (mediaType == null) {
            return Optional.empty();
        }
        return Optional.of(cache.computeIfAbsent(path, p -> load(p, mediaType)));
    }

    /**
     * What the console needs to sign in: the Cognito app client and the endpoint to call (the local stack's user
     * pool locally), or an API key when there is no app client; {@code apiKeys}: whether a key may be used instead.
     */
    public Map<String, Object> signIn() {
        Map<String, Object> settings = new LinkedHashMap<>();
        console.cognitoClientId().ifPresentOrElse(clientId -> {
            settings.put("mode", "cognito");
            settings.put("clientId", clientId);
            settings.put("region", cognitoRegion());
            settings.put("endpoint", cognitoEndpoint());
            settings.put("apiKeys", console.apiKeySignIn());
        }, () -> settings.put("mode", "api-key"));
        return settings;
    }

    /** The extract function's size limit, so the console refuses a larger file before uploading it. */
    public long maxUploadBytes() {
        return config.extract().maxBytes();
    }

    /**
     * Scripts, styles, fonts and workers only from this origin, no inline script or style element, no
     * plugins, no framing; network calls only to this API, the bucket (presigned PDF upload and read) and,
     * with Cognito, its sign-in endpoint.
     */
    public String contentSecurityPolicy() {
        String p = policy;
        if (p == null) {
            StringBuilder connect = new StringBuilder("'self' ").append(bucketOrigin());
            if (console.cognitoClientId().isPresent()) {
                URI endpoint = URI.create(cognitoEndpoint());
                connect.append(' ').append(endpoint.getScheme()).append("://").append(endpoint.getHost())
                        .append(endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
            }
            p = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
                    + "connect-src " + connect + "; worker-src 'self'; manifest-src 'self'; base-uri 'none'; "
                    + "form-action 'none'; frame-ancestors 'none'";
            policy = p;
        }
        return p;
    }

    private String cognitoRegion() {
        return console.cognitoRegion().orElse(config.region());
    }

    private String cognitoEndpoint() {
        return console.cognitoEndpoint().orElseGet(() -> "https://cognito-idp." + cognitoRegion() + ".amazonaws.com/");
    }

    /** The origin presigned URLs point at (virtual-hosted or path-style, the endpoint override locally). */
    private String bucketOrigin() {
        URI url = URI.create(urls.download("documents/origin", Duration.ofMinutes(1), "application/pdf").url());
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        var out = new java.io.ByteArrayOutputStream(bytes.length / 3);
        try (var zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private static Asset load(String path, String mediaType) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + path)) {
            if (in == null) {
                throw new IllegalStateException("The console file console/" + path + " is not on the classpath: build the "
                        + "query function with Maven (it installs pdf.js with npm and copies src/main/console).");
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            return new Asset(bytes, mediaType.startsWith("text/") ? null : gzip(bytes), mediaType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the console file console/" + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
