package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every resource and data block under terraform/ (module and example) conforms to the hashicorp/aws
 * provider schema: what {@code terraform validate} would check if the provider could be downloaded here.
 */
class ProviderSchemaTest {

    private static final ProviderSchema SCHEMA = ProviderSchema.aws();

    static Stream<Path> terraformFiles() {
        return Repository.terraformFiles().stream();
    }

    @ParameterizedTest
    @MethodSource("terraformFiles")
    void every_resource_and_data_block_conforms_to_the_provider_schema(Path file) throws Exception {
        HclSource.Block root = HclSource.parse(Files.readString(file));
        List<String> problems = new ArrayList<>();
        for (HclSource.Block block : root.blocks()) {
            if (block.type().equals("resource") || block.type().equals("data")) {
                String where = Repository.TERRAFORM.relativize(file) + ":" + block.line() + " " + block.type() + " "
                        + String.join(".", block.labels());
                problems.addAll(SCHEMA.check(where, block));
            }
        }
        assertThat(problems).as("provider schema violations in %s", file).isEmpty();
    }

    @Test
    void the_module_and_the_example_use_resources_and_data_sources() {
        long blocks = Repository.terraformFiles().stream().mapToLong(file -> {
            try {
                return HclSource.parse(Files.readString(file)).blocks().stream()
                        .filter(block -> block.type().equals("resource") || block.type().equals("data")).count();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).sum();
        assertThat(blocks).as("resource and data blocks checked").isGreaterThan(40);
    }

    /** What {@code terraform validate} checks of a module call: every argument is a variable, every variable without default is set. */
    @Test
    void the_example_calls_the_module_with_its_variables_and_sets_the_required_ones() {
        TerraformModule module = TerraformModule.load(Repository.MODULE);
        TfBlock call = TerraformModule.load(Repository.EXAMPLE).modules().get("quarry");
        java.util.Set<String> arguments = new java.util.TreeSet<>(call.expressions().keySet());
        arguments.removeAll(java.util.Set.of("source", "version", "providers", "count", "for_each", "depends_on"));

        assertThat(module.variables().keySet()).as("variables of modules/quarry").containsAll(arguments);
        module.variables().forEach((name, variable) -> {
            if (!variable.has("default")) {
                assertThat(arguments).as("module quarry: required variable %s", name).contains(name);
            }
        });
    }

    @Test
    void the_allowed_deprecations_each_give_a_reason() {
        ProviderSchema.ALLOWED_DEPRECATIONS.forEach((path, reason) -> assertThat(reason).as(path).isNotBlank());
    }

    // The checker itself, on blocks that are wrong in one way each.

    @Test
    void a_conforming_block_passes() {
        assertThat(check("""
                resource "aws_sqs_queue" "q" {
                  for_each                  = local.stages
                  name                      = "x"
                  message_retention_seconds = 60
                  tags                      = var.tags
                  lifecycle {
                    create_before_destroy = true
                  }
                  depends_on = [aws_s3_bucket.b]
                }
                """)).isEmpty();
    }

    @Test
    void an_unknown_argument_fails() {
        assertThat(check("""
                resource "aws_sqs_queue" "q" {
                  name              = "x"
                  retention_seconds = 60
                }
                """)).singleElement().asString().contains("retention_seconds is not an argument of aws_sqs_queue");
    }

    @Test
    void a_missing_required_argument_fails() {
        assertThat(check("""
                resource "aws_iam_role_policy" "p" {
                  role = "r"
                }
                """)).singleElement().asString().contains("policy is required by aws_iam_role_policy");
    }

    @Test
    void a_read_only_attribute_fails() {
        assertThat(check("""
                resource "aws_sqs_queue" "q" {
                  name = "x"
                  url  = "https://example"
                }
                """)).singleElement().asString().contains("url is read-only");
    }

    @Test
    void an_unknown_nested_block_fails_also_inside_a_dynamic_block() {
        assertThat(check("""
                resource "aws_lambda_function" "f" {
                  function_name = "f"
                  role          = "r"
                  vpc {
                    subnet_ids = []
                  }
                  dynamic "snap_start" {
                    for_each = [1]
                    content {
                      apply_on = "PublishedVersions"
                      when     = "always"
                    }
                  }
                }
                """)).containsExactlyInAnyOrder(
                        "test: vpc is not a nested block of aws_lambda_function",
                        "test: snap_start.when is not an argument of aws_lambda_function");
    }

    @Test
    void an_argument_written_as_a_block_fails() {
        assertThat(check("""
                resource "aws_sqs_queue" "q" {
                  name = "x"
                  tags {
                    a = "b"
                  }
                }
                """)).singleElement().asString().contains("tags is an argument");
    }

    @Test
    void too_many_nested_blocks_fail() {
        assertThat(check("""
                resource "aws_opensearch_domain" "d" {
                  domain_name = "d"
                  ebs_options {
                    ebs_enabled = true
                  }
                  ebs_options {
                    ebs_enabled = false
                  }
                }
                """)).singleElement().asString().contains("ebs_options appears 2 times; aws_opensearch_domain allows at most 1");
    }

    @Test
    void too_few_nested_blocks_fail_unless_a_dynamic_block_may_add_them() {
        assertThat(check("""
                resource "aws_s3_bucket_versioning" "v" {
                  bucket = "b"
                }
                """)).singleElement().asString().contains("versioning_configuration appears 0 times").contains("needs at least 1");
        assertThat(check("""
                resource "aws_s3_bucket_versioning" "v" {
                  bucket = "b"
                  dynamic "versioning_configuration" {
                    for_each = var.versioning
                    content {
                      status = "Enabled"
                    }
                  }
                }
                """)).isEmpty();
    }

    @Test
    void a_deprecated_block_fails_unless_allowed_with_a_reason() {
        String block = """
                resource "aws_s3_bucket" "b" {
                  bucket = "b"
                  versioning {
                    enabled = true
                  }
                }
                """;
        assertThat(check(block)).singleElement().asString().contains("versioning is deprecated in aws_s3_bucket");
        ProviderSchema allowing = new ProviderSchema(ProviderSchema.DIR, Map.of("aws_s3_bucket.versioning", "kept for a reason"));
        assertThat(allowing.check("test", HclSource.parse(block).blocks().get(0))).isEmpty();
    }

    @Test
    void a_type_without_a_schema_file_fails_saying_how_to_add_it() {
        assertThat(check("""
                resource "aws_kinesis_stream" "s" {
                  name = "s"
                }
                """)).singleElement().asString()
                .contains("no schema for resource type aws_kinesis_stream")
                .contains("terraform providers schema -json")
                .contains("resource_schemas");
    }

    private static List<String> check(String hcl) {
        return SCHEMA.check("test", HclSource.parse(hcl).blocks().get(0));
    }
}
