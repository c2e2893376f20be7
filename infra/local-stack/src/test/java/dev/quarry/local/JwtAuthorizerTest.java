package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local gateway's JWT authorizer, judged through the gateway itself: tokens of the local user pool pass
 * with every claim as a string; a token that API Gateway would refuse (another key, issuer or audience, expired,
 * not yet valid, unsigned, HMAC-signed with the public key) gets its 401 {"message":"Unauthorized"} and never
 * reaches the function; the local API keys still work as before.
 */
class JwtAuthorizerTest {
    @TempDir
    Path dir;
    private LocalUserPool store;
    private CognitoUserPool pool;
    private HttpApiGateway gateway;
    private final AtomicReference<String> invoked = new AtomicReference<>();
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        store = new LocalUserPool(dir.resolve("cognito-user-pool.json"), "us-east-1");
        pool = new CognitoUserPool(0, store, Clock.systemUTC());
        clientId = store.read().consoleClientId();
        JwtAuthorizer authorizer = new JwtAuthorizer(pool.issuer(), List.of(clientId, "api-client"), Clock.systemUTC());
        gateway = new HttpApiGateway(0, (event, timeout) -> {
            invoked.set(event);
            return "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{}\"}";
        }, () -> Map.of("local-demo-key", "demo"), "custom:tenant", authorizer);
    }

    @AfterEach
    void stop() {
        gateway.close();
        pool.close();
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        invoked.set(null);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/documents"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JwtClaims idClaims() {
        long now = System.currentTimeMillis() / 1000;
        JwtClaims c = new JwtClaims();
        c.setSubject("6f1c7d1e-0000-4000-8000-000000000001");
        c.setIssuer(pool.issuer());
        c.setAudience(clientId);
        c.setClaim("token_use", "id");
        c.setClaim("custom:tenant", "acme");
        c.setClaim("email_verified", true);
        c.setClaim("cognito:groups", List.of("admins", "readers"));
        c.setClaim("auth_time", now);
        c.setClaim("iat", now);
        c.setClaim("exp", now + 3600);
        return c;
    }

    private String signed(Consumer<JwtClaims> change) {
        JwtClaims c = idClaims();
        change.accept(c);
        return CognitoUserPool.sign(c, store.read().key());
    }

    private void assertRefused(String token, String why) throws Exception {
        HttpResponse<String> r = get("Bearer " + token);
        assertThat(r.statusCode()).as(why).isEqualTo(401);
        assertThat(r.body()).as(why).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(r.headers().firstValue("www-authenticate")).as(why).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer scope=\"\" error=\"invalid_token\""));
        assertThat(invoked.get()).as(why + ": the function is not invoked").isNull();
    }

    @Test
    void passes_a_pool_token_on_with_every_claim_as_a_string_where_the_authorizer_puts_them() throws Exception {
        HttpResponse<String> r = get("Bearer " + signed(c -> { }));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode jwt = Api.JSON.readTree(invoked.get()).path("requestContext").path("authorizer").path("jwt");
        assertThat(jwt.path("claims").path("custom:tenant").asText()).isEqualTo("acme");
        assertThat(jwt.path("claims").path("aud").asText()).isEqualTo(clientId);
        assertThat(jwt.path("claims").path("email_verified").isTextual()).isTrue();
        assertThat(jwt.path("claims").path("email_verified").asText()).isEqualTo("true");
        assertThat(jwt.path("claims").path("exp").isTextual()).isTrue();
        assertThat(jwt.path("claims").path("cognito:groups").asText()).isEqualTo("[admins readers]");
        assertThat(jwt.path("scopes").isNull()).isTrue();
        assertThat(Api.JSON.readTree(invoked.get()).path("headers").has("authorization")).as("the token is not passed on as a header").isFalse();
    }

    @Test
    void takes_the_token_without_the_bearer_prefix_and_an_access_token_by_its_client_id() throws Exception {
        assertThat(get(signed(c -> { })).statusCode()).isEqualTo(200);

        String access = signed(c -> {
            c.unsetClaim("aud");
            c.setClaim("client_id", "api-client");
            c.setClaim("token_use", "access");
            c.setClaim("scope", "aws.cognito.signin.user.admin openid");
        });
        assertThat(get("Bearer " + access).statusCode()).isEqualTo(200);
        assertThat(Api.JSON.readTree(invoked.get()).at("/requestContext/authorizer/jwt/scopes").toString())
                .isEqualTo("[\"aws.cognito.signin.user.admin\",\"openid\"]");
    }

    @Test
    void a_token_signed_by_another_key_with_the_pools_kid_is_refused() throws Exception {
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setKeyId(store.read().key().getKeyId());

        assertRefused(CognitoUserPool.sign(idClaims(), other), "another key");
    }

    @Test
    void a_token_whose_payload_was_changed_after_signing_is_refused() throws Exception {
        String[] parts = signed(c -> { }).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"acme\"", "\"other\"");
        parts[1] = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));

        assertRefused(String.join(".", parts), "tenant changed");
    }

    @Test
    void a_token_of_another_issuer_is_refused() throws Exception {
        assertRefused(signed(c -> c.setIssuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1234")), "other issuer");
    }

    @Test
    void a_token_for_another_audience_is_refused_and_aud_wins_over_client_id() throws Exception {
        assertRefused(signed(c -> c.setAudience("someone-else")), "other aud");
        assertRefused(signed(c -> {
            c.setAudience("someone-else");
            c.setClaim("client_id", clientId);
        }), "aud is judged when both are there");
        assertRefused(signed(c -> {
            c.unsetClaim("aud");
            c.setClaim("client_id", "someone-else");
        }), "other client_id");
        assertRefused(signed(c -> c.unsetClaim("aud")), "neither aud nor client_id");
    }

    @Test
    void an_expired_or_not_yet_valid_token_or_one_without_exp_is_refused() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        assertRefused(signed(c -> c.setClaim("exp", now - 5)), "expired");
        HttpResponse<String> expired = get("Bearer " + signed(c -> c.setClaim("exp", now - 5)));
        assertThat(expired.headers().firstValue("www-authenticate").orElseThrow()).contains("the token has expired");
        assertRefused(signed(c -> c.setClaim("nbf", now + 600)), "not before");
        assertRefused(signed(c -> c.setClaim("iat", now + 600)), "issued in the future");
        assertRefused(signed(c -> c.unsetClaim("exp")), "no exp");
    }

    @Test
    void an_unsigned_token_or_one_hmac_signed_with_the_public_key_is_refused() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(idClaims().toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(store.read().key().getKeyId());
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertRefused(none.getCompactSerialization(), "alg none");
        assertThat(get("Bearer " + none.getCompactSerialization()).headers().firstValue("www-authenticate").orElseThrow())
                .endsWith("error_description=\"signing method none is invalid\"");

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(idClaims().toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKeyIdHeaderValue(store.read().key().getKeyId());
        hmac.setKey(new HmacKey(store.read().key().getPublicKey().getEncoded()));
        assertRefused(hmac.getCompactSerialization(), "HS256 with the public key");
    }

    @Test
    void the_local_api_keys_work_as_before_and_anything_else_is_refused_with_the_key_hint() throws Exception {
        assertThat(get("Bearer local-demo-key").statusCode()).isEqualTo(200);
        assertThat(Api.JSON.readTree(invoked.get()).at("/requestContext/authorizer/jwt/claims/custom:tenant").asText()).isEqualTo("demo");

        HttpResponse<String> wrong = get("Bearer not-a-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("api-keys.properties");
        assertThat(get(null).statusCode()).isEqualTo(401);
        assertThat(invoked.get()).isNull();
    }
}
