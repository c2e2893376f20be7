package dev.quarry.functions.query;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local stack points the console at its own user pool and lets it sign in with an API key as well. */
@QuarkusTest
@TestProfile(ConsoleLocalSignInTest.LocalStack.class)
class ConsoleLocalSignInTest {

    public static class LocalStack implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.console.cognito-client-id", "localclient", "quarry.console.cognito-endpoint", "http://127.0.0.1:9229/",
                    "quarry.console.api-key-sign-in", "true");
        }
    }

    @Test
    void the_console_signs_in_at_the_local_user_pool_or_with_an_api_key() {
        LambdaEvent.Reply config = LambdaEvent.from("health-anonymous.json").request("GET", "/console/config.json").send();

        assertThat(config.json().path("signIn").path("mode").asText()).isEqualTo("cognito");
        assertThat(config.json().path("signIn").path("endpoint").asText()).isEqualTo("http://127.0.0.1:9229/");
        assertThat(config.json().path("signIn").path("apiKeys").asBoolean()).isTrue();
    }

    @Test
    void the_policy_lets_the_page_reach_the_local_user_pool_and_not_the_regional_endpoint() {
        String csp = LambdaEvent.from("health-anonymous.json").request("GET", "/console").send().header("Content-Security-Policy");

        assertThat(csp).containsPattern("connect-src 'self' https://\\S+ http://127\\.0\\.0\\.1:9229;").doesNotContain("amazonaws.com;");
    }
}
