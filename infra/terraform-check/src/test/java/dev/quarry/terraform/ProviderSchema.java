package dev.quarry.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks resource and data blocks against the real provider schema, the JSON that
 * {@code terraform providers schema -json} prints, one file per type under
 * {@code ../shared/terraform-provider-schemas/aws/{resource,data}/<type>.json} (hashicorp/aws 6.47.0).
 * {@code terraform validate} needs the provider binary, which cannot be downloaded here; this does
 * the part of it that catches most mistakes: unknown or read-only arguments, unknown nested blocks,
 * missing required arguments, nesting limits and deprecated arguments. Expressions are not
 * evaluated, so value types are not checked, and a {@code dynamic} block counts as any number of blocks.
 */
final class ProviderSchema {

    /** Where the schema files are: {@code -Dquarry.provider.schemas.dir}, else {@code ../shared/...} beside the project root. */
    static final Path DIR = Optional.ofNullable(System.getProperty("quarry.provider.schemas.dir")).map(Path::of)
            .orElse(Repository.ROOT.resolve("../shared/terraform-provider-schemas")).normalize();

    /** Meta-arguments Terraform itself handles on every resource and data block. */
    private static final Set<String> META_ARGUMENTS = Set.of("count", "for_each", "provider", "depends_on");
    private static final Set<String> META_BLOCKS = Set.of("lifecycle", "provisioner", "connection");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Deprecated arguments or blocks the Terraform may still use, each with the reason. Empty: nothing
     * deprecated is used. An entry is {@code "<type>.<path>"}, e.g. {@code "aws_s3_bucket.versioning"}.
     */
    static final Map<String, String> ALLOWED_DEPRECATIONS = Map.of();

    private final Path dir;
    private final Map<String, String> allowedDeprecations;
    private final Map<String, JsonNode> cache = new LinkedHashMap<>();

    ProviderSchema(Path dir, Map<String, String> allowedDeprecations) {
        this.dir = dir;
        this.allowedDeprecations = allowedDeprecations;
    }

    static ProviderSchema aws() {
        if (!Files.isDirectory(DIR.resolve("aws"))) {
            throw new AssertionError("Provider schemas not found at " + DIR + " (expected ../shared/terraform-provider-schemas beside the"
                    + " project root, or -Dquarry.provider.schemas.dir=<dir>)");
        }
        return new ProviderSchema(DIR, ALLOWED_DEPRECATIONS);
    }

    /**
     * The problems of one top-level block ({@code resource "<type>" "<name>"} or {@code data "<type>" "<name>"}),
     * each a sentence naming the block; empty when it conforms.
     */
    List<String> check(String where, HclSource.Block block) {
        String kind = block.type();
        if (!kind.equals("resource") && !kind.equals("data")) {
            throw new IllegalArgumentException("Not a resource or data block: " + kind);
        }
        String type = block.labels().get(0);
        List<String> problems = new ArrayList<>();
        Optional<JsonNode> schema = schema(kind, type);
        if (schema.isEmpty()) {
            problems.add(where + ": no schema for " + kind + " type " + type + " at " + file(kind, type) + ". Add it: run `terraform"
                    + " providers schema -json` in an initialised configuration and save the entry of "
                    + (kind.equals("resource") ? "resource_schemas" : "data_source_schemas") + "[\"registry.terraform.io/hashicorp/aws\"]"
                    + " for " + type + " as that file (see " + DIR.resolve("README.md") + ")");
            return problems;
        }
        checkBody(where, type, "", block, schema.get().path("block"), true, problems);
        return problems;
    }

    private void checkBody(String where, String type, String path, HclSource.Block body, JsonNode schema, boolean topLevel,
            List<String> problems) {
        JsonNode attributes = schema.path("attributes");
        JsonNode blockTypes = schema.path("block_types");

        for (String name : body.attributes().keySet()) {
            if (topLevel && META_ARGUMENTS.contains(name)) {
                continue;
            }
            JsonNode attribute = attributes.path(name);
            if (attribute.isMissingNode()) {
                problems.add(where + ": " + path + name + (blockTypes.has(name)
                        ? " is a nested block in the schema of " + type + ", not an argument"
                        : " is not an argument of " + type));
                continue;
            }
            if (attribute.path("computed").asBoolean() && !attribute.path("optional").asBoolean()
                    && !attribute.path("required").asBoolean()) {
                problems.add(where + ": " + path + name + " is read-only (computed) in " + type + " and cannot be set");
            }
            deprecated(where, type, path + name, attribute, problems);
        }
        attributes.properties().forEach(entry -> {
            if (entry.getValue().path("required").asBoolean() && !body.attributes().containsKey(entry.getKey())) {
                problems.add(where + ": " + path + entry.getKey() + " is required by " + type + " and not set");
            }
        });

        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Boolean> dynamic = new LinkedHashMap<>();
        for (HclSource.Block child : body.blocks()) {
            if (topLevel && META_BLOCKS.contains(child.type())) {
                continue;
            }
            String name = child.type();
            HclSource.Block content = child;
            if (name.equals("dynamic")) {
                name = child.labels().isEmpty() ? "" : child.labels().get(0);
                List<HclSource.Block> contents = child.blocks("content");
                if (contents.size() != 1) {
                    problems.add(where + ": dynamic \"" + name + "\" needs exactly one content block");
                    continue;
                }
                content = contents.get(0);
                dynamic.put(name, true);
            } else {
                counts.merge(name, 1, Integer::sum);
            }
            JsonNode blockType = blockTypes.path(name);
            if (blockType.isMissingNode()) {
                problems.add(where + ": " + path + name + (attributes.has(name)
                        ? " is an argument in the schema of " + type + " (" + name + " = ...), not a nested block"
                        : " is not a nested block of " + type));
                continue;
            }
            deprecated(where, type, path + name, blockType.path("block"), problems);
            checkBody(where, type, path + name + ".", content, blockType.path("block"), false, problems);
        }
        blockTypes.properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode blockType = entry.getValue();
            int count = counts.getOrDefault(name, 0);
            boolean anyDynamic = dynamic.getOrDefault(name, false);
            int max = blockType.path("max_items").asInt(blockType.path("nesting_mode").asText().equals("single") ? 1 : Integer.MAX_VALUE);
            int min = blockType.path("min_items").asInt(0);
            if (count > max) {
                problems.add(where + ": " + path + name + " appears " + count + " times; " + type + " allows at most " + max);
            }
            if (count < min && !anyDynamic) {
                problems.add(where + ": " + path + name + " appears " + count + " times; " + type + " needs at least " + min);
            }
        });
    }

    private void deprecated(String where, String type, String path, JsonNode node, List<String> problems) {
        if (node.path("deprecated").asBoolean() && !allowedDeprecations.containsKey(type + "." + path)) {
            problems.add(where + ": " + path + " is deprecated in " + type + " (replace it, or list \"" + type + "." + path
                    + "\" in ProviderSchema.ALLOWED_DEPRECATIONS with the reason)");
        }
    }

    Optional<JsonNode> schema(String kind, String type) {
        Path file = file(kind, type);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(cache.computeIfAbsent(file.toString(), key -> {
            try {
                return JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read " + file, e);
            }
        }));
    }

    private Path file(String kind, String type) {
        return dir.resolve("aws").resolve(kind.equals("resource") ? "resource" : "data").resolve(type + ".json");
    }
}
