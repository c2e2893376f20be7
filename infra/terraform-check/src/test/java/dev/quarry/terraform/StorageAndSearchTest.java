package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The documents and artifacts buckets and the OpenSearch domain: private, encrypted, TLS only. */
class StorageAndSearchTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);

    /** A bucket of the module: its resource name, how its settings refer to it, its policy document. */
    record Bucket(String name, String reference, String policyDocument) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bucket> buckets() {
        return Stream.of(
                new Bucket("documents", "aws_s3_bucket.documents", "data.aws_iam_policy_document.bucket"),
                // Created only when the caller names no bucket of their own, hence [0].
                new Bucket("artifacts", "aws_s3_bucket.artifacts[0]", "data.aws_iam_policy_document.artifacts[0]"));
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_blocks_every_kind_of_public_access(Bucket bucket) {
        TfBlock block = MODULE.resource("aws_s3_bucket_public_access_block", bucket.name());

        assertThat(block.expression("bucket")).isEqualTo(bucket.reference() + ".id");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertThat(block.value(setting)).as(setting).isEqualTo(Boolean.TRUE);
        }
        assertThat(MODULE.resource("aws_s3_bucket_ownership_controls", bucket.name()).block("rule").value("object_ownership"))
                .isEqualTo("BucketOwnerEnforced");
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_is_versioned_and_encrypted(Bucket bucket) {
        assertThat(MODULE.resource("aws_s3_bucket_versioning", bucket.name()).block("versioning_configuration").value("status"))
                .isEqualTo("Enabled");

        TfBlock encryption = MODULE.resource("aws_s3_bucket_server_side_encryption_configuration", bucket.name())
                .block("rule").block("apply_server_side_encryption_by_default");
        assertThat(encryption.expression("sse_algorithm")).contains("\"AES256\"").contains("\"aws:kms\"");
        assertThat(encryption.expression("kms_master_key_id")).isEqualTo("var.kms_key_arn");
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_refuses_requests_without_tls(Bucket bucket) {
        assertThat(MODULE.resource("aws_s3_bucket_policy", bucket.name()).expression("policy"))
                .isEqualTo(bucket.policyDocument() + ".json");

        String document = bucket.policyDocument().substring("data.aws_iam_policy_document.".length()).replace("[0]", "");
        List<IamPolicyTest.Statement> statements = IamPolicyTest.statements(MODULE.data("aws_iam_policy_document", document));
        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement.effect()).isEqualTo("Deny");
            assertThat(statement.actions()).containsExactly("s3:*");
            assertThat(statement.resources()).containsExactlyInAnyOrder(
                    bucket.reference() + ".arn", "\"${" + bucket.reference() + ".arn}/*\"");
            TfBlock condition = statement.block().block("condition");
            assertThat(condition.value("test")).isEqualTo("Bool");
            assertThat(condition.value("variable")).isEqualTo("aws:SecureTransport");
            assertThat(condition.stringList("values")).containsExactly("false");
        });
    }

    @Test
    void artifacts_bucket_settings_exist_only_with_the_bucket() {
        for (String type : List.of("aws_s3_bucket", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_public_access_block",
                "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
                "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy")) {
            assertThat(compact(MODULE.resource(type, "artifacts").expression("count"))).as("%s.artifacts", type)
                    .isEqualTo("local.create_artifacts_bucket?1:0");
        }
        assertThat(compact(MODULE.data("aws_iam_policy_document", "artifacts").expression("count")))
                .isEqualTo("local.create_artifacts_bucket?1:0");
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
