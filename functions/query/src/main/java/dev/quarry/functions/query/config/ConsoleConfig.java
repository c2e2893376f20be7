package dev.quarry.functions.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The web console served by this function under {@code /console/}. */
@ConfigMapping(prefix = "quarry.console")
public interface ConsoleConfig {

    /**
     * Id of the Cognito user pool app client the console signs in with (USER_PASSWORD_AUTH, no client
     * secret); its ID tokens must be accepted by the API's JWT authorizer. Unset: the console asks for an
     * API key, as the local stack's gateway expects.
     */
    Optional<String> cognitoClientId();

    /** Region of that user pool; default: the deployment's region ({@code quarry.region}). */
    Optional<String> cognitoRegion();

    /**
     * Where the console sends its Cognito calls; default: the region's endpoint,
     * {@code https://cognito-idp.<region>.amazonaws.com/}. The local stack points it at its own user pool.
     */
    Optional<String> cognitoEndpoint();

    /**
     * Whether the console also offers to sign in with an API key. Only the local stack's gateway takes API keys,
     * so only the local stack turns this on; in AWS the JWT authorizer would refuse every key.
     */
    @WithDefault("false")
    boolean apiKeySignIn();
}
