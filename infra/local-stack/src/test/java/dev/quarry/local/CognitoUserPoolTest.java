package dev.quarry.local;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local Cognito user pool through the AWS SDK's own Cognito client (JSON 1.1, typed errors), and its tokens
 * verified with jose4j against the keys its discovery document names, as any relying party would.
 */
class CognitoUserPoolTest {
    @TempDir
    Path dir;
    private LocalUserPool store;
    private CognitoUserPool pool;
    private CognitoIdentityProviderClient cognito;
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        store = new LocalUserPool(dir.resolve("cognito-user-pool.json"), "eu-west-1");
        pool = new CognitoUserPool(0, store, Clock.systemUTC());
        cognito = CognitoIdentityProviderClient.builder().endpointOverride(URI.create(pool.endpoint()))
                .region(Region.EU_WEST_1).credentialsProvider(AnonymousCredentialsProvider.create()).build();
        clientId = store.read().consoleClientId();
    }

    @AfterEach
    void stop() {
        cognito.close();
        pool.close();
    }

    private InitiateAuthResponse signIn(String user, String password) {
        return cognito.initiateAuth(b -> b.authFlow(AuthFlowType.USER_PASSWORD_AUTH).clientId(clientId)
                .authParameters(Map.of("USERNAME", user, "PASSWORD", password)));
    }

    private JwtClaims verified(String token) throws Exception {
        String discovery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pool.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String jwksUri = Api.JSON.readTree(discovery).path("jwks_uri").asText();
        assertThat(jwksUri).isEqualTo(pool.issuer() + "/.well-known/jwks.json");
        return new JwtConsumerBuilder().setExpectedIssuer(pool.issuer()).setSkipDefaultAudienceValidation().setRequireExpirationTime()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUri))).build().processToClaims(token);
    }

    @Test
    void signs_a_user_in_with_rs256_id_and_access_tokens_carrying_cognitos_claims_and_the_tenant() throws Exception {
        String password = store.addUser("ana@example.com", "acme", false);

        AuthenticationResultType result = signIn("ana@example.com", password).authenticationResult();

        assertThat(result.expiresIn()).isEqualTo(3600);
        assertThat(result.tokenType()).isEqualTo("Bearer");
        assertThat(result.refreshToken()).isNotBlank();
        String sub = store.read().user("ana@example.com").orElseThrow().username();
        JwtClaims id = verified(result.idToken());
        assertThat(id.getIssuer()).isEqualTo("http://127.0.0.1:" + pool.port() + "/" + store.read().userPoolId());
        assertThat(store.read().userPoolId()).matches("eu-west-1_[A-Za-z0-9]{9}");
        assertThat(id.getAudience()).containsExactly(clientId);
        assertThat(id.getClaimsMap()).containsEntry("token_use", "id").containsEntry("email", "ana@example.com")
                .containsEntry("custom:tenant", "acme").containsEntry("cognito:username", sub).containsEntry("sub", sub)
                .containsKeys("auth_time", "iat", "jti", "origin_jti", "event_id");
        assertThat(id.getExpirationTime().getValue() - id.getIssuedAt().getValue()).isEqualTo(3600);
        JwtClaims access = verified(result.accessToken());
        assertThat(access.getClaimsMap()).containsEntry("token_use", "access").containsEntry("client_id", clientId)
                .containsEntry("username", sub).containsEntry("scope", "aws.cognito.signin.user.admin").doesNotContainKey("aud");
        assertThat(access.getClaimValue("origin_jti")).isEqualTo(id.getClaimValue("origin_jti"));
    }

    @Test
    void a_wrong_password_and_an_unknown_user_get_the_same_answer_when_user_existence_errors_are_prevented() {
        String password = store.addUser("ana@example.com", "acme", false);

        for (String[] attempt : new String[][] {{"ana@example.com", password + "x"}, {"nobody@example.com", password}}) {
            assertThatThrownBy(() -> signIn(attempt[0], attempt[1]))
                    .isInstanceOfSatisfying(NotAuthorizedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Incorrect username or password.");
                    });
        }
    }

    @Test
    void an_unknown_user_is_named_as_such_by_a_client_that_does_not_prevent_user_existence_errors() {
        store.update(s -> new LocalUserPool.State(s.userPoolId(), s.region(), s.passwordMinimumLength(),
                List.of(new LocalUserPool.Client(clientId, "legacy", List.of("ALLOW_USER_PASSWORD_AUTH"), false, 60, 60, 1)),
                s.signingKey(), s.users()));

        assertThatThrownBy(() -> signIn("nobody@example.com", "whatever-password"))
                .isInstanceOfSatisfying(UserNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User does not exist."));
        assertThatThrownBy(() -> cognito.initiateAuth(b -> b.authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).clientId(clientId)
                .authParameters(Map.of("REFRESH_TOKEN", "x"))))
                .isInstanceOfSatisfying(CognitoIdentityProviderException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("REFRESH_TOKEN_AUTH flow not enabled for this client");
                });
    }

    @Test
    void an_unknown_app_client_is_a_resource_not_found() {
        assertThatThrownBy(() -> cognito.initiateAuth(b -> b.authFlow(AuthFlowType.USER_PASSWORD_AUTH).clientId("nosuchclient")
                .authParameters(Map.of("USERNAME", "demo@quarry.local", "PASSWORD", "x"))))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User pool client nosuchclient does not exist."));
    }

    @Test
    void an_invited_user_must_choose_a_password_that_meets_the_policy_and_then_signs_in_with_it_only() throws Exception {
        String temporary = store.addUser("new@example.com", "acme", true);

        InitiateAuthResponse challenge = signIn("new@example.com", temporary);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
        assertThat(challenge.authenticationResult()).isNull();
        assertThat(challenge.session()).isNotBlank();
        assertThatThrownBy(() -> cognito.respondToAuthChallenge(b -> b.challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .clientId(clientId).session(challenge.session()).challengeResponses(Map.of("USERNAME", "new@example.com", "NEW_PASSWORD", "short1"))))
                .isInstanceOfSatisfying(InvalidPasswordException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Password does not conform to policy: Password not long enough"));
        assertThatThrownBy(() -> cognito.respondToAuthChallenge(b -> b.challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .clientId(clientId).session("forged").challengeResponses(Map.of("USERNAME", "new@example.com", "NEW_PASSWORD", "long-enough-password"))))
                .isInstanceOf(NotAuthorizedException.class);

        AuthenticationResultType done = cognito.respondToAuthChallenge(b -> b.challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .clientId(clientId).session(challenge.session())
                .challengeResponses(Map.of("USERNAME", "new@example.com", "NEW_PASSWORD", "long-enough-password"))).authenticationResult();

        assertThat(verified(done.idToken()).getClaimValue("custom:tenant")).isEqualTo("acme");
        assertThat(signIn("new@example.com", "long-enough-password").authenticationResult().idToken()).isNotBlank();
        assertThatThrownBy(() -> signIn("new@example.com", temporary)).isInstanceOf(NotAuthorizedException.class);
        LocalUserPool.User stored = store.read().user("new@example.com").orElseThrow();
        assertThat(stored.status()).isEqualTo(LocalUserPool.CONFIRMED);
        assertThat(stored.password()).as("a chosen password is kept only hashed").isNull();
        assertThat(java.nio.file.Files.readString(store.file())).doesNotContain("long-enough-password");
    }

    @Test
    void a_refresh_token_gives_new_tokens_of_the_same_sign_in_and_a_forged_one_is_refused() throws Exception {
        String password = store.addUser("ana@example.com", "acme", false);
        AuthenticationResultType first = signIn("ana@example.com", password).authenticationResult();

        AuthenticationResultType refreshed = cognito.initiateAuth(b -> b.authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).clientId(clientId)
                .authParameters(Map.of("REFRESH_TOKEN", first.refreshToken()))).authenticationResult();

        assertThat(refreshed.refreshToken()).as("no rotation: the refresh token stays the same").isNull();
        JwtClaims before = verified(first.idToken());
        JwtClaims after = verified(refreshed.idToken());
        assertThat(after.getClaimValue("origin_jti")).isEqualTo(before.getClaimValue("origin_jti"));
        assertThat(after.getClaimValue("auth_time")).isEqualTo(before.getClaimValue("auth_time"));
        assertThat(after.getJwtId()).isNotEqualTo(before.getJwtId());
        assertThatThrownBy(() -> cognito.initiateAuth(b -> b.authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).clientId(clientId)
                .authParameters(Map.of("REFRESH_TOKEN", first.refreshToken() + "x"))))
                .isInstanceOfSatisfying(NotAuthorizedException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Refresh Token"));
    }

    @Test
    void answers_a_browsers_preflight_from_any_origin_and_lets_it_read_the_answer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(pool.endpoint()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://127.0.0.1:8080")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type,x-amz-target").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("content-type,x-amz-target");

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(pool.endpoint())).header("Origin", "http://127.0.0.1:8080")
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
                .POST(HttpRequest.BodyPublishers.ofString("{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + clientId
                        + "\",\"AuthParameters\":{\"USERNAME\":\"demo@quarry.local\",\"PASSWORD\":\"wrong\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(Api.JSON.readTree(refused.body()).path("__type").asText()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void the_first_start_writes_demo_users_and_an_invited_one_with_generated_passwords() {
        List<String> seen = new ArrayList<>();
        for (LocalUserPool.User u : store.read().users()) {
            seen.add(u.email() + ":" + u.tenant() + ":" + u.status());
            assertThat(u.password()).hasSizeGreaterThanOrEqualTo(12).doesNotContain("password");
        }
        assertThat(seen).contains("demo@quarry.local:demo:CONFIRMED", "other@quarry.local:other:CONFIRMED",
                "invited@quarry.local:demo:FORCE_CHANGE_PASSWORD");
        assertThat(new LocalUserPool(dir.resolve("other.json"), "eu-west-1").read().users().getFirst().password())
                .isNotEqualTo(store.read().users().getFirst().password());
    }
}
