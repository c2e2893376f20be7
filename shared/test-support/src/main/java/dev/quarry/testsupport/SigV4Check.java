package dev.quarry.testsupport;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a received request's AWS Signature Version 4 as an AWS service's front door does, for one
 * service name, one region and one set of credentials.
 *
 * <p>The scope, the date and the signed-header list are checked first, each refusal with the error type
 * and message the service would answer. Then the request is signed again, from its method, the Host
 * header it arrived with, its path, query and signed headers, its body and the time in its
 * {@code X-Amz-Date}, by the AWS SDK's own signer ({@link AwsV4HttpSigner}) with the expected credentials,
 * region and service; the signature must be the one the client sent.
 *
 * <p>Limits: header authorization only (no presigned URLs), and the request must carry
 * {@code x-amz-content-sha256}, which every AWS SDK v2 client signs. A payload hash must match the body;
 * {@code UNSIGNED-PAYLOAD} is accepted over HTTPS only, as the SDK sends it there and never over HTTP.
 */
public final class SigV4Check {
    /** How far the signing time may be from the service's clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /** A request as it arrived: raw (still encoded) path and query, header names in any case. */
    public record Received(String method, String scheme, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) {
    }

    /** Why a request is refused: the error type (as in {@code x-amzn-ErrorType}) and the message. */
    public record Refusal(String errorType, String message) {
    }

    private final String service;
    private final String region;
    private final AwsCredentialsIdentity credentials;
    private final Clock clock;

    public SigV4Check(String service, String region, AwsCredentialsIdentity credentials, Clock clock) {
        this.service = service;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Empty when the signature is valid for this service, region and credentials now. */
    public Optional<Refusal> check(Received request) {
        Map<String, List<String>> headers = lowerCase(request.headers());
        String authorization = first(headers, "authorization");
        if (authorization == null) {
            return refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return refuse("IncompleteSignatureException", "Unsupported authorization type; expected " + ALGORITHM + ".");
        }
        Map<String, String> parts = parameters(authorization.substring(ALGORITHM.length() + 1));
        String credential = parts.get("Credential");
        String signedHeaderList = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaderList == null || signature == null) {
            return refuse("IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=" + authorization);
        }

        String[] scope = credential.split("/", -1);
        if (scope.length != 5) {
            return refuse("IncompleteSignatureException",
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        if (!scope[0].equals(credentials.accessKeyId())) {
            return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!scope[4].equals("aws4_request")) {
            return refuse("InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + scope[4] + "'.");
        }
        if (!scope[2].equals(region)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to a valid region, not '" + scope[2] + "'.");
        }
        if (!scope[3].equals(service)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'.");
        }

        String amzDate = first(headers, "x-amz-date");
        if (amzDate == null) {
            return refuse("IncompleteSignatureException", "Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return refuse("IncompleteSignatureException", "X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z', got '"
                    + amzDate + "'.");
        }
        if (!amzDate.startsWith(scope[1])) {
            return refuse("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_CLOCK_SKEW))) {
            return refuse("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_CLOCK_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return refuse("InvalidSignatureException", "Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_CLOCK_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }

        List<String> signedHeaders = List.of(signedHeaderList.split(";"));
        List<String> mustBeSigned = new ArrayList<>(List.of("host", "x-amz-date"));
        for (String optional : List.of("x-amz-content-sha256", "x-amz-security-token")) {
            if (headers.containsKey(optional)) {
                mustBeSigned.add(optional);
            }
        }
        for (String name : mustBeSigned) {
            if (!signedHeaders.contains(name)) {
                return refuse("InvalidSignatureException", "'" + name + "' must be a 'SignedHeader' in the AWS Authorization.");
            }
        }
        for (String name : signedHeaders) {
            if (!headers.containsKey(name)) {
                return refuse("InvalidSignatureException", "The signed header '" + name + "' is not in the request.");
            }
        }
        Optional<Refusal> token = checkSessionToken(first(headers, "x-amz-security-token"));
        if (token.isPresent()) {
            return token;
        }

        String contentSha256 = first(headers, "x-amz-content-sha256");
        if (contentSha256 == null) {
            return refuse("IncompleteSignatureException", "Missing 'x-amz-content-sha256': this check signs again with the AWS SDK v2 "
                    + "signer, which always sends and signs it.");
        }
        boolean unsignedPayload = contentSha256.equals(UNSIGNED_PAYLOAD);
        if (unsignedPayload && !"https".equals(request.scheme())) {
            return refuse("InvalidSignatureException", "UNSIGNED-PAYLOAD is accepted over HTTPS only.");
        }
        if (!unsignedPayload && !contentSha256.equalsIgnoreCase(sha256Hex(request.body()))) {
            return refuse("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        String expected;
        try {
            expected = signAgain(request, headers, signedHeaders, signedAt, unsignedPayload);
        } catch (RuntimeException e) {
            return refuse("InvalidSignatureException", "The request cannot be signed again (" + e.getMessage() + "). " + MISMATCH);
        }
        Map<String, String> expectedParts = parameters(expected.substring(ALGORITHM.length() + 1));
        if (!signedHeaderList.equals(expectedParts.get("SignedHeaders"))) {
            return refuse("InvalidSignatureException", MISMATCH + " SignedHeaders were '" + signedHeaderList + "', the signer signs '"
                    + expectedParts.get("SignedHeaders") + "'.");
        }
        if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                expectedParts.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            return refuse("InvalidSignatureException", MISMATCH);
        }
        return Optional.empty();
    }

    private String signAgain(Received request, Map<String, List<String>> headers, List<String> signedHeaders, Instant signedAt,
            boolean unsignedPayload) {
        String query = request.rawQuery() == null ? "" : "?" + request.rawQuery();
        SdkHttpRequest.Builder toSign = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                // The Host header as received: the client signed the host and port it connected to.
                .uri(URI.create(request.scheme() + "://" + first(headers, "host") + request.rawPath() + query));
        for (String name : signedHeaders) {
            toSign.putHeader(name, headers.get(name));
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(toSign.build())
                .payload(request.body().length == 0 ? null : ContentStreamProvider.fromByteArray(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload));
        return signed.request().firstMatchingHeader("Authorization")
                .orElseThrow(() -> new IllegalStateException("the SDK signer added no Authorization header"));
    }

    private Optional<Refusal> checkSessionToken(String token) {
        String expected = credentials instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        if (token == null ? expected == null : token.equals(expected)) {
            return Optional.empty();
        }
        return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parameters(String list) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : list.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return parts;
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return lower;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static Optional<Refusal> refuse(String type, String message) {
        return Optional.of(new Refusal(type, message));
    }
}
