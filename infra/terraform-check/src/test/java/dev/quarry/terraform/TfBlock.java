package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Terraform block seen two ways: the values hcl4j parsed (literals such as
 * {@code function_response_types = ["ReportBatchItemFailures"]} come out as Java lists,
 * strings, booleans and numbers) and the source text of every attribute expression (for
 * references, which hcl4j evaluates away). Nested blocks are joined by type, labels and order.
 */
final class TfBlock {

    private final String where;
    private final HclSource.Block source;
    private final Map<String, Object> values;

    TfBlock(String where, HclSource.Block source, Map<String, Object> values) {
        this.where = where;
        this.source = source;
        this.values = values;
    }

    /** Where the block is, for assertion messages: {@code modules/quarry/sqs.tf: resource aws_sqs_queue.stage}. */
    String where() {
        return where;
    }

    String type() {
        return source.type();
    }

    List<String> labels() {
        return source.labels();
    }

    /** The hcl4j view of this block. */
    Map<String, Object> values() {
        return values;
    }

    boolean has(String attribute) {
        return source.attributes().containsKey(attribute);
    }

    /** Source text of an attribute's expression; fails the test when the attribute is missing. */
    String expression(String attribute) {
        assertThat(source.attributes()).as("%s sets %s", where, attribute).containsKey(attribute);
        return source.attributes().get(attribute);
    }

    Optional<String> optionalExpression(String attribute) {
        return Optional.ofNullable(source.attributes().get(attribute));
    }

    Map<String, String> expressions() {
        return source.attributes();
    }

    /** What hcl4j made of an attribute: a String, Boolean, Double, List, Map, or a symbol for an unevaluated expression. */
    Object value(String attribute) {
        assertThat(source.attributes()).as("%s sets %s", where, attribute).containsKey(attribute);
        return values.get(attribute);
    }

    /** The attribute as a list of literal strings (e.g. IAM actions); fails when any item is not a literal. */
    List<String> stringList(String attribute) {
        Object value = value(attribute);
        assertThat(value).as("%s: %s is a list literal", where, attribute).isInstanceOf(List.class);
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            assertThat(item).as("%s: every item of %s is a string literal", where, attribute).isInstanceOf(String.class);
            strings.add((String) item);
        }
        return strings;
    }

    /** Nested blocks of a type, e.g. {@code statement}; {@code dynamic} blocks are separate (see {@link #dynamicBlocks}). */
    List<TfBlock> blocks(String type) {
        List<TfBlock> blocks = new ArrayList<>();
        List<HclSource.Block> sources = source.blocks(type);
        for (int i = 0; i < sources.size(); i++) {
            HclSource.Block child = sources.get(i);
            int index = sameShapeIndex(child);
            blocks.add(new TfBlock(where + " > " + describe(child), child, nestedValues(child, index)));
        }
        return blocks;
    }

    /** The single nested block of a type; fails unless there is exactly one. */
    TfBlock block(String type) {
        List<TfBlock> blocks = blocks(type);
        assertThat(blocks).as("%s has one %s block", where, type).hasSize(1);
        return blocks.get(0);
    }

    /** {@code dynamic "<label>"} blocks. */
    List<TfBlock> dynamicBlocks(String label) {
        return blocks("dynamic").stream().filter(block -> block.labels().equals(List.of(label))).toList();
    }

    private int sameShapeIndex(HclSource.Block child) {
        int index = 0;
        for (HclSource.Block sibling : source.blocks()) {
            if (sibling == child) {
                return index;
            }
            if (sibling.type().equals(child.type()) && sibling.labels().equals(child.labels())) {
                index++;
            }
        }
        throw new IllegalStateException("Not a child");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> nestedValues(HclSource.Block child, int index) {
        Object node = values.get(child.type());
        for (String label : child.labels()) {
            node = node instanceof Map<?, ?> map ? map.get(label) : null;
        }
        if (node instanceof List<?> list) {
            node = index < list.size() ? list.get(index) : null;
        } else if (index > 0) {
            node = null;
        }
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String describe(HclSource.Block block) {
        return block.labels().isEmpty() ? block.type() : block.type() + " " + String.join(" ", block.labels());
    }

    @Override
    public String toString() {
        return where;
    }
}
