package dev.quarry.functions.query.service;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.config.QuarryConfig;
import dev.quarry.core.pipeline.Keys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * The caller's tenant, from the JWT claims that the API Gateway authorizer put into the event
 * (locally the stack's gateway puts them there from the API key). Never from the request itself.
 */
@ApplicationScoped
public class Tenants {

    @Inject
    QuarryConfig config;

    public String of(APIGatewayV2HTTPEvent event) {
        String tenant = claims(event).get(config.auth().tenantClaim());
        if (tenant == null || tenant.isBlank()) {
            throw new Refusal.Unauthenticated(
                    "No authenticated tenant: call through the API gateway with a valid token (claim '"
                            + config.auth().tenantClaim() + "').");
        }
        if (!Keys.TENANT.matcher(tenant).matches()) {
            throw new Refusal.InvalidTenant("The tenant in the token is not a valid tenant id.");
        }
        return tenant;
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null
                || event.getRequestContext().getAuthorizer().getJwt() == null
                || event.getRequestContext().getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return event.getRequestContext().getAuthorizer().getJwt().getClaims();
    }
}
