package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The documents bucket and the OpenSearch domain: private, encrypted, TLS only. */
class StorageAndSearchTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);

    @Test
    void bucket_blocks_every_kind_of_public_access() {
        TfBlock block = MODULE.resource("aws_s3_bucket_public_access_block", "documents");

        assertThat(block.expression("bucket")).isEqualTo("aws_s3_bucket.documents.id");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertThat(block.value(setting)).as(setting).isEqualTo(Boolean.TRUE);
        }
        assertThat(MODULE.resource("aws_s3_bucket_ownership_controls", "documents").block("rule").value("object_ownership"))
                .isEqualTo("BucketOwnerEnforced");
    }

    @Test
    void bucket_is_versioned_and_encrypted() {
        assertThat(MODULE.resource("aws_s3_bucket_versioning", "documents").block("versioning_configuration").value("status"))
                .isEqualTo("Enabled");

        TfBlock encryption = MODULE.resource("aws_s3_bucket_server_side_encryption_configuration", "documents")
                .block("rule").block("apply_server_side_encryption_by_default");
        assertThat(encryption.expression("sse_algorithm")).contains("\"AES256\"").contains("\"aws:kms\"");
        assertThat(encryption.expression("kms_master_key_id")).isEqualTo("var.kms_key_arn");
    }

    @Test
    void bucket_refuses_requests_without_tls() {
        assertThat(MODULE.resource("aws_s3_bucket_policy", "documents").expression("policy"))
                .isEqualTo("data.aws_iam_policy_document.bucket.json");

        List<IamPolicyTest.Statement> statements = IamPolicyTest.statements(MODULE.data("aws_iam_policy_document", "bucket"));
        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement.effect()).isEqualTo("Deny");
            assertThat(statement.actions()).containsExactly("s3:*");
            assertThat(statement.resources()).containsExactlyInAnyOrder("aws_s3_bucket.documents.arn", "\"${aws_s3_bucket.documents.arn}/*\"");
            TfBlock condition = statement.block().block("condition");
            assertThat(condition.value("test")).isEqualTo("Bool");
            assertThat(condition.value("variable")).isEqualTo("aws:SecureTransport");
            assertThat(condition.stringList("values")).containsExactly("false");
        });
    }

    @Test
    void work_artifacts_expire_after_the_configured_days() {
        TfBlock lifecycle = MODULE.resource("aws_s3_bucket_lifecycle_configuration", "documents");

        assertThat(lifecycle.blocks("rule")).anySatisfy(rule -> {
            assertThat(rule.value("status")).isEqualTo("Enabled");
            String prefix = rule.block("filter").expression("prefix");
            String resolved = prefix.equals("local.pipeline.bucketPrefixes.work")
                    ? Repository.pipeline().path("bucketPrefixes").path("work").asText()
                    : HclSource.stringLiteral(prefix);
            assertThat(resolved).isEqualTo("work/");
            assertThat(rule.block("expiration").expression("days")).isEqualTo("var.work_expiration_days");
        });
        TfBlock days = MODULE.variables().get("work_expiration_days");
        assertThat(days.expression("type")).isEqualTo("number");
    }

    @Test
    void opensearch_domain_is_private_encrypted_and_https_only() {
        TfBlock domain = MODULE.resource("aws_opensearch_domain", "this");

        assertThat(domain.expression("engine_version")).isEqualTo("var.opensearch_engine_version");
        assertThat(MODULE.variables().get("opensearch_engine_version").value("default")).isEqualTo("OpenSearch_2.19");
        TfBlock cluster = domain.block("cluster_config");
        assertThat(cluster.expression("instance_type")).isEqualTo("var.opensearch_instance_type");
        assertThat(cluster.expression("instance_count")).isEqualTo("var.opensearch_instance_count");

        TfBlock vpc = domain.block("vpc_options");
        assertThat(vpc.expression("subnet_ids")).contains("var.subnet_ids");
        assertThat(vpc.expression("security_group_ids")).contains("aws_security_group.opensearch.id");

        assertThat(domain.block("encrypt_at_rest").value("enabled")).isEqualTo(Boolean.TRUE);
        assertThat(domain.block("node_to_node_encryption").value("enabled")).isEqualTo(Boolean.TRUE);
        assertThat(domain.block("domain_endpoint_options").value("enforce_https")).isEqualTo(Boolean.TRUE);
        // Fine-grained access control off: access is decided by the domain policy over the function roles.
        domain.blocks("advanced_security_options").forEach(options -> assertThat(options.value("enabled")).isEqualTo(Boolean.FALSE));
        assertThat(domain.has("access_policies")).isFalse();
        assertThat(MODULE.resource("aws_opensearch_domain_policy", "this").expression("domain_name"))
                .isEqualTo("aws_opensearch_domain.this.domain_name");
    }

    @Test
    void opensearch_accepts_https_from_the_functions_only() {
        var rules = MODULE.resources("aws_vpc_security_group_ingress_rule").values().stream()
                .filter(rule -> rule.expression("security_group_id").equals("aws_security_group.opensearch.id"))
                .toList();

        assertThat(rules).hasSize(1);
        TfBlock rule = rules.get(0);
        assertThat(((Number) rule.value("from_port")).intValue()).isEqualTo(443);
        assertThat(((Number) rule.value("to_port")).intValue()).isEqualTo(443);
        assertThat(rule.expression("referenced_security_group_id")).isEqualTo("aws_security_group.lambda.id");
        assertThat(rule.has("cidr_ipv4")).isFalse();
    }
}
