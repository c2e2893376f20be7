package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The example deploys the cheapest sound setup by default (README, "Idle cost"): one OpenSearch data
 * node and the Bedrock and SQS interface endpoints in one zone. High availability is one variable away.
 */
class IdleCostTest {
    private static final TerraformModule EXAMPLE = TerraformModule.load(Repository.EXAMPLE);

    @Test
    void one_data_node_and_one_endpoint_zone_unless_high_availability_is_asked_for() {
        TfBlock ha = EXAMPLE.variables().get("high_availability");
        assertThat(ha).as("variable high_availability").isNotNull();
        assertThat(ha.expression("default")).isEqualTo("false");
        assertThat(ha.expression("type")).isEqualTo("bool");

        TfBlock quarry = EXAMPLE.modules().get("quarry");
        assertThat(quarry.expression("opensearch_instance_count")).isEqualTo("var.high_availability ? 2 : 1");

        TfBlock endpoint = EXAMPLE.resource("aws_vpc_endpoint", "bedrock_runtime");
        assertThat(endpoint.expression("subnet_ids")).isEqualTo("local.endpoint_subnet_ids");
        assertThat(EXAMPLE.locals().get("endpoint_subnet_ids").replace(" ", ""))
                .startsWith("var.high_availability?").endsWith(":[aws_subnet.private[local.zones[0]].id]");
    }

    /** The Secrets Manager endpoint costs like the Bedrock one, so it exists only when the answer API key is in a secret. */
    @Test
    void the_secrets_manager_endpoint_exists_only_with_an_answer_api_key_secret() {
        TfBlock secret = EXAMPLE.variables().get("answer_api_key_secret_arn");
        assertThat(secret).as("variable answer_api_key_secret_arn").isNotNull();
        assertThat(secret.expression("default")).isEqualTo("null");
        assertThat(EXAMPLE.modules().get("quarry").expression("answer_api_key_secret_arn")).isEqualTo("var.answer_api_key_secret_arn");

        TfBlock endpoint = EXAMPLE.resource("aws_vpc_endpoint", "secretsmanager");
        assertThat(endpoint.expression("count").replace(" ", "")).isEqualTo("var.answer_api_key_secret_arn==null?0:1");
        assertThat(endpoint.expression("subnet_ids")).isEqualTo("local.endpoint_subnet_ids");
        assertThat(endpoint.expression("service_name")).contains(".secretsmanager");

        // Every other interface endpoint is the one the idle cost counts.
        assertThat(EXAMPLE.resources("aws_vpc_endpoint").values())
                .filteredOn(block -> "Interface".equals(block.values().get("vpc_endpoint_type")) && !block.has("count"))
                .extracting(block -> block.labels().get(1)).containsExactlyInAnyOrder("bedrock_runtime", "sqs");
    }

    /**
     * The functions run in private subnets without NAT and call SQS themselves (a stage delays a failed message's next
     * delivery, the API sends an upload's expiry; both granted in iam.tf): without an endpoint every such call would
     * wait for its timeout and fail.
     */
    @Test
    void the_functions_reach_sqs_through_an_interface_endpoint_with_private_dns() {
        TfBlock endpoint = EXAMPLE.resource("aws_vpc_endpoint", "sqs");
        assertThat(endpoint.expression("service_name")).isEqualTo("\"com.amazonaws.${var.region}.sqs\"");
        assertThat(endpoint.values().get("vpc_endpoint_type")).isEqualTo("Interface");
        assertThat(endpoint.expression("private_dns_enabled")).isEqualTo("true");
        assertThat(endpoint.expression("subnet_ids")).isEqualTo("local.endpoint_subnet_ids");
        assertThat(endpoint.expression("security_group_ids")).contains("aws_security_group.endpoints.id");
    }

    @Test
    void indices_keep_no_replicas_so_one_node_is_green() throws Exception {
        for (String index : new String[] {"quarry-chunks", "quarry-documents", "quarry-queries"}) {
            var definition = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Repository.ROOT.resolve("infra/opensearch/" + index + ".json").toFile());
            assertThat(definition.at("/settings/index/number_of_replicas").asInt(-1)).as(index).isZero();
        }
    }
}
