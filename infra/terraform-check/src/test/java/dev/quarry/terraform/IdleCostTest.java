package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The example deploys the cheapest sound setup by default (README, "Idle cost"): one OpenSearch data
 * node and the Bedrock interface endpoint in one zone. High availability is one variable away.
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

    @Test
    void indices_keep_no_replicas_so_one_node_is_green() throws Exception {
        for (String index : new String[] {"quarry-chunks", "quarry-documents", "quarry-queries"}) {
            var definition = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Repository.ROOT.resolve("infra/opensearch/" + index + ".json").toFile());
            assertThat(definition.at("/settings/index/number_of_replicas").asInt(-1)).as(index).isZero();
        }
    }
}
