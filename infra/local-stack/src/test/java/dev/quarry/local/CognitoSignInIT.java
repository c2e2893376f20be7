package dev.quarry.local;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API through the local gateway with tokens of the local Cognito user pool, signed in with the AWS SDK's
 * Cognito client: the tenant comes from the ID token's custom:tenant, an access token passes by its client_id,
 * and an expired, re-signed or altered token is refused as API Gateway refuses it.
 */
@ExtendWith(StackSession.class)
class CognitoSignInIT {
    private static StackConfig config;
    private static CognitoIdentityProviderClient cognito;
    private static String tenant;
    private static AuthenticationResultType tokens;

    @BeforeAll
    static void signIn() {
        config = StackSession.ensure();
        cognito = CognitoIdentityProviderClient.builder().endpointOverride(URI.create(config.cognitoEndpoint()))
                .region(Region.of(config.region())).credentialsProvider(AnonymousCredentialsProvider.create()).build();
        tenant = "cognito-it-" + UUID.randomUUID().toString().substring(0, 8);
        String email = tenant + "@example.com";
        String password = config.userPool().addUser(email, tenant, false);
        tokens = cognito.initiateAuth(b -> b.authFlow(AuthFlowType.USER_PASSWORD_AUTH).clientId(config.userPool().read().consoleClientId())
                .authParameters(Map.of("USERNAME", email, "PASSWORD", password))).authenticationResult();
    }

    @AfterAll
    static void close() {
        cognito.close();
    }

    private static Api.Response call(String method, String path, String body, String token) {
        return Api.raw(config, method, path, body, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
    }

    @Test
    void a_pool_token_reaches_the_api_as_the_tenant_in_its_custom_tenant_claim() {
        assertThat(call("GET", "/v1/documents", null, tokens.idToken()).status()).isEqualTo(200);

        Api.Response created = call("POST", "/v1/documents", "{\"name\":\"from-the-pool.pdf\"}", tokens.idToken());
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.body().path("documentId").asText();

        assertThat(call("GET", "/v1/documents/" + id, null, tokens.idToken()).status()).isEqualTo(200);
        assertThat(new Api(config, tenant).call("GET", "/v1/documents/" + id, null).status())
                .as("the same tenant's API key sees it").isEqualTo(200);
        assertThat(new Api(config, tenant + "-other").call("GET", "/v1/documents/" + id, null).status())
                .as("another tenant does not").isEqualTo(404);
    }

    @Test
    void an_access_token_passes_by_its_client_id() {
        Api.Response r = call("GET", "/v1/documents", null, tokens.accessToken());

        // Accepted by the authorizer; it carries no custom:tenant, so the function refuses it with its own reason.
        assertThat(r.body().path("message").asText()).isNotEqualTo("Unauthorized");
        assertThat(r.body().path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void an_expired_a_re_signed_or_an_altered_token_is_refused_by_the_gateway() throws Exception {
        RsaJsonWebKey poolKey = config.userPool().read().key();
        JwtClaims claims = JwtClaims.parse(new String(java.util.Base64.getUrlDecoder().decode(tokens.idToken().split("\\.")[1])));
        long now = System.currentTimeMillis() / 1000;
        claims.setClaim("iat", now - 7200);
        claims.setClaim("exp", now - 3600);
        String expired = CognitoUserPool.sign(claims, poolKey);

        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setKeyId(poolKey.getKeyId());
        claims.setClaim("exp", now + 3600);
        String forged = CognitoUserPool.sign(claims, other);

        String[] parts = tokens.idToken().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace(tenant, tenant + "-other");
        String altered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];

        for (String token : new String[] {expired, forged, altered}) {
            Api.Response r = call("GET", "/v1/documents", null, token);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body().toString()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        assertThat(call("GET", "/v1/documents", null, tokens.idToken()).status()).as("the real token still passes").isEqualTo(200);
    }
}
