package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP API: every route the query function serves, JWT on all but health and OpenAPI. */
class HttpApiTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /v1/documents",
        "GET /v1/documents",
        "GET /v1/documents/{documentId}",
        "GET /v1/documents/{documentId}/pdf",
        "DELETE /v1/documents/{documentId}",
        "POST /v1/search",
        "POST /v1/query",
        "GET /v1/queries",
    })
    void route_requires_a_jwt(String routeKey) {
        assertThat(routeKeys(true)).as("routes behind the JWT authorizer").contains(routeKey);
        assertThat(routeKeys(false)).as("routes without authorization").doesNotContain(routeKey);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/health", "GET /q/openapi", "GET /console", "GET /console/{proxy+}"})
    void route_is_public(String routeKey) {
        assertThat(routeKeys(false)).as("routes without authorization").contains(routeKey);
        assertThat(routeKeys(true)).as("routes behind the JWT authorizer").doesNotContain(routeKey);
    }

    @Test
    void only_health_openapi_and_the_console_files_are_public() {
        // The console's files hold no data; every call it makes goes to the routes behind the authorizer.
        assertThat(routeKeys(false)).containsExactlyInAnyOrder("GET /v1/health", "GET /q/openapi", "GET /console",
                "GET /console/{proxy+}");
    }

    @Test
    void routes_are_exactly_the_authenticated_and_public_lists() {
        Map<String, TfBlock> routes = MODULE.resources("aws_apigatewayv2_route");
        assertThat(routes.keySet()).containsExactlyInAnyOrder("authenticated", "public");
        for (TfBlock route : routes.values()) {
            assertThat(route.expression("route_key")).isEqualTo("each.value");
            assertThat(route.expression("target")).isEqualTo("\"integrations/${aws_apigatewayv2_integration.query.id}\"");
        }
    }

    @Test
    void authenticated_routes_use_the_jwt_authorizer() {
        TfBlock route = MODULE.resource("aws_apigatewayv2_route", "authenticated");

        assertThat(route.expression("for_each")).isEqualTo("toset(local.authenticated_routes)");
        assertThat(route.value("authorization_type")).isEqualTo("JWT");
        assertThat(route.expression("authorizer_id")).isEqualTo("aws_apigatewayv2_authorizer.jwt.id");
    }

    @Test
    void public_routes_have_no_authorizer() {
        TfBlock route = MODULE.resource("aws_apigatewayv2_route", "public");

        assertThat(route.expression("for_each")).isEqualTo("toset(local.public_routes)");
        assertThat(route.value("authorization_type")).isEqualTo("NONE");
        assertThat(route.has("authorizer_id")).isFalse();
    }

    @Test
    void jwt_authorizer_checks_issuer_and_audience() {
        TfBlock authorizer = MODULE.resource("aws_apigatewayv2_authorizer", "jwt");

        assertThat(authorizer.value("authorizer_type")).isEqualTo("JWT");
        assertThat(authorizer.stringList("identity_sources")).containsExactly("$request.header.Authorization");
        TfBlock jwt = authorizer.block("jwt_configuration");
        assertThat(jwt.expression("issuer")).isEqualTo("var.jwt_issuer");
        assertThat(jwt.expression("audience")).isEqualTo("var.jwt_audience");
        assertThat(MODULE.variables().get("jwt_issuer").has("default")).as("issuer is required").isFalse();
        assertThat(MODULE.variables().get("jwt_audience").has("default")).as("audience is required").isFalse();
    }

    @Test
    void http_api_proxies_to_the_query_function_with_payload_2_0() {
        assertThat(MODULE.resource("aws_apigatewayv2_api", "this").value("protocol_type")).isEqualTo("HTTP");

        TfBlock integration = MODULE.resource("aws_apigatewayv2_integration", "query");
        assertThat(integration.value("integration_type")).isEqualTo("AWS_PROXY");
        assertThat(integration.value("payload_format_version")).isEqualTo("2.0");
        assertThat(integration.expression("integration_uri")).matches("aws_lambda_(alias\\.live|function\\.this)\\[\"query\"]\\.invoke_arn");
    }

    @Test
    void default_stage_deploys_automatically_with_access_logs_and_throttling() {
        TfBlock stage = MODULE.resource("aws_apigatewayv2_stage", "default");

        assertThat(stage.value("name")).isEqualTo("$default");
        assertThat(stage.value("auto_deploy")).isEqualTo(Boolean.TRUE);
        TfBlock accessLogs = stage.block("access_log_settings");
        assertThat(accessLogs.expression("destination_arn")).isEqualTo("aws_cloudwatch_log_group.api.arn");
        assertThat(accessLogs.expression("format")).contains("$context.requestId", "$context.status");
        TfBlock throttling = stage.block("default_route_settings");
        assertThat(throttling.expression("throttling_rate_limit")).isEqualTo("var.api_throttling_rate_limit");
        assertThat(throttling.expression("throttling_burst_limit")).isEqualTo("var.api_throttling_burst_limit");
        assertThat(MODULE.resource("aws_cloudwatch_log_group", "api").expression("retention_in_days")).isEqualTo("var.log_retention_days");
    }

    @Test
    void api_gateway_may_invoke_the_query_function_of_this_api_only() {
        TfBlock permission = MODULE.resource("aws_lambda_permission", "api");

        assertThat(permission.value("principal")).isEqualTo("apigateway.amazonaws.com");
        assertThat(permission.value("action")).isEqualTo("lambda:InvokeFunction");
        assertThat(permission.expression("function_name")).isEqualTo("aws_lambda_function.this[\"query\"].function_name");
        assertThat(permission.expression("source_arn")).isEqualTo("\"${aws_apigatewayv2_api.this.execution_arn}/*/*\"");
        // An integration that invokes the alias needs the permission on that same qualifier.
        if (MODULE.resource("aws_apigatewayv2_integration", "query").expression("integration_uri").startsWith("aws_lambda_alias.live")) {
            assertThat(permission.expression("qualifier")).isEqualTo("aws_lambda_alias.live[\"query\"].name");
        }
    }

    /** Route keys of the authenticated or the public list, read from the locals the routes iterate. */
    private static List<String> routeKeys(boolean authenticated) {
        String local = authenticated ? "authenticated_routes" : "public_routes";
        assertThat(MODULE.resource("aws_apigatewayv2_route", authenticated ? "authenticated" : "public").expression("for_each"))
                .isEqualTo("toset(local." + local + ")");
        List<String> keys = new ArrayList<>();
        for (String item : HclSource.listItems(MODULE.local(local))) {
            String key = HclSource.stringLiteral(item);
            assertThat(key).as("route key %s is a literal", item).isNotNull();
            keys.add(key);
        }
        return keys;
    }
}
