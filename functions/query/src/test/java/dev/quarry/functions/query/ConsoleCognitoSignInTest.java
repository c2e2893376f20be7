package dev.quarry.functions.query;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In AWS the console signs in with the Cognito app client Terraform passes (QUARRY_CONSOLE_COGNITO_CLIENT_ID) at the
 * region's endpoint, and offers no API keys; the local stack points it at its own user pool and allows keys too.
 */
@QuarkusTest
@TestProfile(ConsoleCognitoSignInTest.WithCognito.class)
class ConsoleCognitoSignInTest {

    public static class WithCognito implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.console.cognito-client-id", "5n8q2k1m0p7r4s6t9v3w", "quarry.region", "eu-west-1");
        }
    }

    @Test
    void the_console_signs_in_with_the_user_pool_client_of_the_deployment() {
        LambdaEvent.Reply config = LambdaEvent.from("health-anonymous.json").request("GET", "/console/config.json").send();

        assertThat(config.json().path("signIn").path("mode").asText()).isEqualTo("cognito");
        assertThat(config.json().path("signIn").path("clientId").asText()).isEqualTo("5n8q2k1m0p7r4s6t9v3w");
        assertThat(config.json().path("signIn").path("region").asText()).isEqualTo("eu-west-1");
        assertThat(config.json().path("signIn").path("endpoint").asText()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/");
        assertThat(config.json().path("signIn").path("apiKeys").asBoolean(true)).as("no API keys in AWS").isFalse();
    }

    @Test
    void the_policy_lets_the_page_reach_that_user_pools_endpoint_and_no_other() {
        String csp = LambdaEvent.from("health-anonymous.json").request("GET", "/console").send().header("Content-Security-Policy");

        assertThat(csp).containsPattern("connect-src 'self' https://\\S+ https://cognito-idp\\.eu-west-1\\.amazonaws\\.com;");
    }
}
