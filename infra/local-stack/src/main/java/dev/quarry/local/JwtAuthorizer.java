package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API Gateway's JWT authorizer (HTTP APIs), as {@code aws_apigatewayv2_authorizer} configures it with an issuer
 * and audiences: finds the issuer's JWKS through {@code <issuer>/.well-known/openid-configuration} (kept, and read
 * again when a token names a key it does not know), accepts RSA signatures only (RS256/384/512) by a key whose
 * {@code kid} the JWKS lists, and checks {@code iss}, {@code aud} (or {@code client_id} when there is no
 * {@code aud}) against the audiences, {@code exp}, {@code nbf} and {@code iat} against the clock. Every claim of an
 * accepted token goes to the integration as a string, as API Gateway passes them. Route scopes are not checked:
 * no Quarry route has any (api.tf).
 */
final class JwtAuthorizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    sealed interface Decision {
    }

    /** The claims as API Gateway puts them into {@code requestContext.authorizer.jwt}, and the token's scopes. */
    record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {
    }

    /** Why it was refused, as API Gateway says it in the 401's {@code www-authenticate} header. */
    record Refused(String description) implements Decision {
    }

    private final String issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private volatile HttpsJwksVerificationKeyResolver keys;

    JwtAuthorizer(String issuer, Collection<String> audiences, Clock clock) {
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.clock = clock;
    }

    /** Whether a bearer value is a JWS in compact form (and so the authorizer's to judge, not a local API key). */
    static boolean looksLikeJwt(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).has("alg");
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /** Judges the identity source's value: the Authorization header, with or without "Bearer ". */
    Decision authorize(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Refused("the token is missing");
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            String alg = algorithm(token);
            return new Refused(alg.startsWith("RS") ? description(e) : "signing method " + alg + " is invalid");
        } catch (IllegalStateException e) {
            return new Refused("the issuer's signing keys could not be read: " + e.getMessage());
        }
        try {
            NumericDate iat = claims.getIssuedAt();
            if (iat != null && iat.getValue() > clock.instant().getEpochSecond()) {
                return new Refused("the token was issued in the future");
            }
            List<String> aud = claims.hasAudience() ? claims.getAudience() : List.of();
            String clientId = claims.getClaimValueAsString("client_id");
            boolean audienceOk = !aud.isEmpty()
                    ? aud.stream().anyMatch(audiences::contains)
                    : clientId != null && audiences.contains(clientId);
            if (!audienceOk) {
                return new Refused("the token does not have a valid audience");
            }
        } catch (MalformedClaimException e) {
            return new Refused("the token has a malformed claim: " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        claims.getClaimsMap().forEach((name, value) -> flat.put(name, asString(value)));
        String scope = claims.getClaimValueAsString("scope");
        return new Allowed(flat, scope == null || scope.isBlank() ? null : List.of(scope.trim().split("\\s+")));
    }

    /** API Gateway's rendering of a claim: strings as they are, numbers in decimal, lists as {@code [a b]}. */
    static String asString(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(JwtAuthorizer::asString).collect(Collectors.joining(" ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            try {
                return JSON.writeValueAsString(map);
            } catch (IOException e) {
                return String.valueOf(map);
            }
        }
        return String.valueOf(value);
    }

    private JwtConsumer consumer() {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer(issuer)
                .setSkipDefaultAudienceValidation() // aud, or client_id without aud: checked by authorize
                .setVerificationKeyResolver(keys())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
    }

    /** The issuer's keys, discovered once; jose4j reads the JWKS again when a token names a kid it lacks. */
    private HttpsJwksVerificationKeyResolver keys() {
        HttpsJwksVerificationKeyResolver k = keys;
        if (k == null) {
            synchronized (this) {
                k = keys;
                if (k == null) {
                    HttpsJwks jwks = new HttpsJwks(jwksUri());
                    jwks.setDefaultCacheDuration(Duration.ofHours(2).toSeconds());
                    k = new HttpsJwksVerificationKeyResolver(jwks);
                    keys = k;
                }
            }
        }
        return k;
    }

    /** The issuer's OpenID discovery document names the JWKS: {@code <issuer>/.well-known/openid-configuration}. */
    private String jwksUri() {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode doc = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            if (doc == null || !doc.path("jwks_uri").isTextual()) {
                throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + " without a jwks_uri");
            }
            return doc.path("jwks_uri").asText();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading " + url, e);
        }
    }

    private static String description(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the token has expired";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "the token does not have a valid issuer";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "the token is not valid yet";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "the token has no expiration time";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "the token signature is invalid";
        }
        return "the token could not be verified with the issuer's keys";
    }

    private static String algorithm(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.", -1)[0])).path("alg").asText("");
        } catch (IllegalArgumentException | IOException e) {
            return "";
        }
    }
}
