package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The local stand-in for an Amazon Cognito user pool, on a port of its own: the Cognito Identity Provider
 * JSON 1.1 protocol ({@code POST /} with {@code X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>})
 * for the operations the console uses, {@code InitiateAuth} (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and
 * {@code RespondToAuthChallenge} (NEW_PASSWORD_REQUIRED), with Cognito's error types and messages; RS256
 * ID and access tokens with Cognito's claims; and the pool's OpenID discovery document and JWKS under
 * {@code /<userPoolId>/.well-known/}, which is where an API Gateway JWT authorizer finds the keys. Users,
 * clients and the signing key live in {@link LocalUserPool}'s file. Nothing else of Cognito is here: no
 * sign-up, SRP, MFA, hosted UI, admin API, lockout after failed attempts, or triggers.
 */
final class CognitoUserPool implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
    private static final Duration SESSION_VALIDITY = Duration.ofMinutes(3);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A Cognito error: HTTP 400 with {@code __type} and {@code message}, as the service answers. */
    static final class CognitoError extends RuntimeException {
        final String type;

        CognitoError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private record PendingChallenge(String username, String clientId, Instant expires) {
    }

    private record Refresh(String username, String clientId, String originJti, long authTime, Instant expires) {
    }

    private final HttpServer server;
    private final LocalUserPool pool;
    private final Clock clock;
    private final Map<String, PendingChallenge> sessions = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();

    CognitoUserPool(int port, LocalUserPool pool, Clock clock) throws IOException {
        this.pool = pool;
        this.clock = clock;
        pool.read(); // created, with its key, before the first request
        this.server = LocalHttpServers.bind(port, 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cognito-idp");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint a client is pointed at (the regional {@code https://cognito-idp.<region>.amazonaws.com/} in AWS). */
    String endpoint() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** The tokens' {@code iss}: the endpoint and the pool id, as {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}. */
    String issuer() {
        return "http://127.0.0.1:" + port() + "/" + pool.read().userPoolId();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            LocalUserPool.State state = pool.read();
            String wellKnown = "/" + state.userPoolId() + "/.well-known/";
            if (method.equals("GET") && path.equals(wellKnown + "openid-configuration")) {
                send(ex, 200, "application/json", discovery(state));
            } else if (method.equals("GET") && path.equals(wellKnown + "jwks.json")) {
                send(ex, 200, "application/json", jwks(state));
            } else if (method.equals("OPTIONS") && path.equals("/")) {
                preflight(ex);
            } else if (method.equals("POST") && path.equals("/")) {
                operation(ex);
            } else {
                send(ex, 404, "application/json", JSON.createObjectNode().put("message", "Not Found"));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            send(ex, 500, "application/x-amz-json-1.1", JSON.createObjectNode().put("__type", "InternalErrorException")
                    .put("message", String.valueOf(e.getMessage())));
        }
    }

    /** The endpoint answers any origin (browser sign-in pages are on customers' domains), as Cognito does. */
    private static void preflight(HttpExchange ex) throws IOException {
        String requested = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().set("Access-Control-Allow-Methods", "POST");
        ex.getResponseHeaders().set("Access-Control-Allow-Headers", requested == null ? "content-type,x-amz-target,x-amz-user-agent" : requested);
        ex.getResponseHeaders().set("Access-Control-Max-Age", "172800");
        ex.sendResponseHeaders(200, -1);
    }

    private void operation(HttpExchange ex) throws IOException {
        String requestId = UUID.randomUUID().toString();
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().set("Access-Control-Expose-Headers", "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date");
        String target = String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target"));
        try {
            JsonNode request;
            try {
                request = JSON.readTree(ex.getRequestBody());
            } catch (IOException e) {
                throw new CognitoError("SerializationException", "Unable to parse the request body as JSON.");
            }
            if (request == null || !request.isObject()) {
                throw new CognitoError("SerializationException", "The request body is not a JSON object.");
            }
            ObjectNode result = switch (target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "") {
                case "InitiateAuth" -> initiateAuth(request);
                case "RespondToAuthChallenge" -> respondToAuthChallenge(request);
                default -> throw new CognitoError("UnknownOperationException", null);
            };
            send(ex, 200, "application/x-amz-json-1.1", result);
        } catch (CognitoError e) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", e.type + ":");
            ObjectNode body = JSON.createObjectNode().put("__type", e.type);
            if (e.getMessage() != null) {
                body.put("message", e.getMessage());
                ex.getResponseHeaders().set("x-amzn-ErrorMessage", e.getMessage());
            }
            send(ex, 400, "application/x-amz-json-1.1", body);
        }
    }

    // ------------------------------------------------------------------ operations

    private ObjectNode initiateAuth(JsonNode request) {
        LocalUserPool.State state = pool.read();
        LocalUserPool.Client client = client(state, request);
        String flow = required(request, "AuthFlow", "authFlow");
        JsonNode params = request.path("AuthParameters");
        return switch (flow) {
            case "USER_PASSWORD_AUTH" -> {
                allowed(client, "USER_PASSWORD_AUTH");
                String username = parameter(params, "USERNAME");
                String password = parameter(params, "PASSWORD");
                LocalUserPool.User user = state.user(username).orElseThrow(() -> client.preventUserExistenceErrors()
                        ? incorrect() : new CognitoError("UserNotFoundException", "User does not exist."));
                if (!user.passwordMatches(password)) {
                    throw incorrect();
                }
                if (LocalUserPool.FORCE_CHANGE_PASSWORD.equals(user.status())) {
                    String session = opaque(192);
                    sessions.put(session, new PendingChallenge(user.username(), client.clientId(), clock.instant().plus(SESSION_VALIDITY)));
                    ObjectNode challenge = JSON.createObjectNode().put("ChallengeName", "NEW_PASSWORD_REQUIRED");
                    challenge.putObject("ChallengeParameters")
                            .put("USER_ID_FOR_SRP", user.username())
                            .put("requiredAttributes", "[]")
                            .put("userAttributes", JSON.createObjectNode().put("email", user.email()).toString());
                    challenge.put("Session", session);
                    yield challenge;
                }
                yield authenticated(state, client, user, null, true);
            }
            case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" -> {
                allowed(client, "REFRESH_TOKEN_AUTH");
                String token = parameter(params, "REFRESH_TOKEN");
                Refresh refresh = refreshTokens.get(token);
                if (refresh == null || !refresh.clientId().equals(client.clientId()) || clock.instant().isAfter(refresh.expires())) {
                    throw new CognitoError("NotAuthorizedException", "Invalid Refresh Token");
                }
                LocalUserPool.User user = state.user(refresh.username())
                        .orElseThrow(() -> new CognitoError("NotAuthorizedException", "Invalid Refresh Token"));
                yield authenticated(state, client, user, refresh, false);
            }
            case "USER_SRP_AUTH", "CUSTOM_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_AUTH" ->
                    throw new CognitoError("InvalidParameterException", flow + " is not supported by the local user pool.");
            default -> throw new CognitoError("InvalidParameterException", "1 validation error detected: Value '" + flow
                    + "' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, "
                    + "REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]");
        };
    }

    private ObjectNode respondToAuthChallenge(JsonNode request) {
        LocalUserPool.State state = pool.read();
        LocalUserPool.Client client = client(state, request);
        String challengeName = required(request, "ChallengeName", "challengeName");
        if (!challengeName.equals("NEW_PASSWORD_REQUIRED")) {
            throw new CognitoError("InvalidParameterException", challengeName + " is not supported by the local user pool.");
        }
        JsonNode responses = request.path("ChallengeResponses");
        String username = parameter(responses, "USERNAME");
        String newPassword = parameter(responses, "NEW_PASSWORD");
        String sessionId = request.path("Session").asText("");
        PendingChallenge pending = sessions.get(sessionId);
        if (pending == null || clock.instant().isAfter(pending.expires()) || !pending.clientId().equals(client.clientId())) {
            sessions.remove(sessionId);
            throw new CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.");
        }
        LocalUserPool.User user = state.user(pending.username()).filter(u -> u.isCalled(username))
                .orElseThrow(() -> new CognitoError("NotAuthorizedException", "Invalid session for the user."));
        checkPolicy(state, newPassword);
        sessions.remove(sessionId);
        LocalUserPool.User changed = user.withNewPassword(newPassword);
        pool.update(s -> s.withUser(changed));
        return authenticated(state, client, changed, null, true);
    }

    // ------------------------------------------------------------------ tokens

    /** AuthenticationResult: ID and access token; a refresh token on sign-in, not on refresh (no rotation). */
    private ObjectNode authenticated(LocalUserPool.State state, LocalUserPool.Client client, LocalUserPool.User user,
            Refresh refreshed, boolean withRefreshToken) {
        long now = clock.instant().getEpochSecond();
        String originJti = refreshed == null ? UUID.randomUUID().toString() : refreshed.originJti();
        long authTime = refreshed == null ? now : refreshed.authTime();
        String eventId = UUID.randomUUID().toString();
        String issuer = issuer();

        JwtClaims id = new JwtClaims();
        id.setSubject(user.username());
        id.setClaim("email_verified", true);
        id.setIssuer(issuer);
        id.setClaim("cognito:username", user.username());
        id.setClaim("origin_jti", originJti);
        id.setAudience(client.clientId());
        id.setClaim("event_id", eventId);
        id.setClaim("token_use", "id");
        id.setClaim("auth_time", authTime);
        id.setClaim("exp", now + client.idTokenValidityMinutes() * 60L);
        id.setClaim("iat", now);
        id.setJwtId(UUID.randomUUID().toString());
        id.setClaim("email", user.email());
        id.setClaim("custom:tenant", user.tenant());

        JwtClaims access = new JwtClaims();
        access.setSubject(user.username());
        access.setIssuer(issuer);
        access.setClaim("client_id", client.clientId());
        access.setClaim("origin_jti", originJti);
        access.setClaim("event_id", eventId);
        access.setClaim("token_use", "access");
        access.setClaim("scope", "aws.cognito.signin.user.admin");
        access.setClaim("auth_time", authTime);
        access.setClaim("exp", now + client.accessTokenValidityMinutes() * 60L);
        access.setClaim("iat", now);
        access.setJwtId(UUID.randomUUID().toString());
        access.setClaim("username", user.username());

        RsaJsonWebKey key = state.key();
        ObjectNode result = JSON.createObjectNode();
        result.putObject("ChallengeParameters");
        ObjectNode auth = result.putObject("AuthenticationResult");
        auth.put("AccessToken", sign(access, key));
        auth.put("ExpiresIn", client.accessTokenValidityMinutes() * 60);
        auth.put("IdToken", sign(id, key));
        if (withRefreshToken) {
            String refresh = opaque(1024);
            refreshTokens.put(refresh, new Refresh(user.username(), client.clientId(), originJti, authTime,
                    clock.instant().plus(Duration.ofDays(client.refreshTokenValidityDays()))));
            auth.put("RefreshToken", refresh);
        }
        auth.put("TokenType", "Bearer");
        return result;
    }

    static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    private ObjectNode discovery(LocalUserPool.State state) {
        String issuer = issuer();
        ObjectNode d = JSON.createObjectNode();
        d.put("issuer", issuer);
        d.put("jwks_uri", issuer + "/.well-known/jwks.json");
        d.putArray("id_token_signing_alg_values_supported").add("RS256");
        d.putArray("subject_types_supported").add("public");
        d.putArray("response_types_supported").add("code").add("token");
        d.putArray("scopes_supported").add("openid").add("email").add("phone").add("profile");
        d.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic").add("client_secret_post");
        d.putArray("claims_supported").add("sub").add("iss").add("aud").add("email").add("email_verified")
                .add("cognito:username").add("custom:tenant");
        return d;
    }

    private static ObjectNode jwks(LocalUserPool.State state) {
        ObjectNode jwks = JSON.createObjectNode();
        jwks.putArray("keys").add(JSON.valueToTree(state.key().toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        return jwks;
    }

    // ------------------------------------------------------------------ checks

    private static LocalUserPool.Client client(LocalUserPool.State state, JsonNode request) {
        String clientId = required(request, "ClientId", "clientId");
        return state.client(clientId).orElseThrow(() ->
                new CognitoError("ResourceNotFoundException", "User pool client " + clientId + " does not exist."));
    }

    private static void allowed(LocalUserPool.Client client, String flow) {
        if (!client.allows(flow)) {
            throw new CognitoError("InvalidParameterException", flow + " flow not enabled for this client");
        }
    }

    /** The pool's policy: Terraform sets only the minimum length (12), so the other rules are off. */
    private static void checkPolicy(LocalUserPool.State state, String password) {
        if (password.length() < state.passwordMinimumLength()) {
            throw new CognitoError("InvalidPasswordException", "Password does not conform to policy: Password not long enough");
        }
    }

    private static CognitoError incorrect() {
        return new CognitoError("NotAuthorizedException", "Incorrect username or password.");
    }

    private static String required(JsonNode request, String field, String member) {
        String value = request.path(field).asText("");
        if (value.isEmpty()) {
            throw new CognitoError("InvalidParameterException", "1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static String parameter(JsonNode params, String name) {
        String value = params.path(name).asText("");
        if (value.isEmpty()) {
            throw new CognitoError("InvalidParameterException", "Missing required parameter " + name);
        }
        return value;
    }

    private static String opaque(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void send(HttpExchange ex, int status, String contentType, JsonNode body) throws IOException {
        byte[] out = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
