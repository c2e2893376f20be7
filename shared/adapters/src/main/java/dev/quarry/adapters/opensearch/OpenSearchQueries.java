package dev.quarry.adapters.opensearch;

import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.TextQueryType;
import org.opensearch.client.opensearch.core.SearchResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed query clauses the OpenSearch adapters share: exact keyword filters, date ranges, k-NN with a filter,
 * multi-field BM25, newest-first sorting, and reading a sum back.
 */
final class OpenSearchQueries {
    private OpenSearchQueries() {
    }

    /** An exact match on a keyword (or number) field. */
    static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    static Query term(String field, long value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    static Query term(String field, boolean value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    /**
     * Chunks search may show: not written hidden ({@code live: false}) by a version still being indexed. Chunks
     * written before the field existed lack it and pass.
     */
    static Query searchable() {
        return Query.of(q -> q.bool(b -> b.mustNot(term("live", false))));
    }

    /** A match of any of the values. */
    static Query terms(String field, List<String> values) {
        List<FieldValue> fieldValues = values.stream().map(FieldValue::of).toList();
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(fieldValues))));
    }

    /** Instants from {@code from} (inclusive) to {@code to} (exclusive). */
    static Query range(String field, Instant from, Instant to) {
        return Query.of(q -> q.range(r -> r.field(field).gte(JsonData.of(from.toString())).lt(JsonData.of(to.toString()))));
    }

    /** Documents matching every filter (unscored). */
    static Query filter(List<Query> filters) {
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    static Query filter(Query... filters) {
        return filter(List.of(filters));
    }

    /** Documents matching every filter and the scored clause. */
    static Query filterMust(List<Query> filters, Query must) {
        return Query.of(q -> q.bool(b -> b.filter(filters).must(must)));
    }

    /** Documents matching every filter and not the excluded clause. */
    static Query filterNot(List<Query> filters, Query mustNot) {
        return Query.of(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)));
    }

    /** The tenant's documents, only those listed when the list is not empty. */
    static List<Query> tenantAndDocuments(String tenant, List<String> documentIds) {
        List<Query> filters = new ArrayList<>();
        filters.add(term("tenant", tenant));
        if (documentIds != null && !documentIds.isEmpty()) {
            filters.add(terms("documentId", documentIds));
        }
        return filters;
    }

    /**
     * Approximate k-NN on a vector field, restricted by the filter. With the Lucene engine the filter is applied
     * during the HNSW search (efficient filtering), not after it, so k hits come back when k documents match.
     */
    static Query knn(String field, float[] vector, int k, Query filter) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float f : vector) {
            values.add(f);
        }
        return Query.of(q -> q.knn(n -> n.field(field).vector(values).k(k).filter(filter)));
    }

    /** A match query over several fields (each "name^boost"), scores summed. */
    static Query mostFields(String text, List<String> fields) {
        return Query.of(q -> q.multiMatch(m -> m.query(text).type(TextQueryType.MostFields).fields(fields)));
    }

    /** The value of a sum aggregation of a search response (0 over no documents). */
    static long sum(SearchResponse<?> response, String name) {
        Double value = response.aggregations().get(name).sum().value();
        return value == null ? 0 : value.longValue();
    }

    static SortOptions newestFirst(String field) {
        return SortOptions.of(s -> s.field(f -> f.field(field).order(SortOrder.Desc)));
    }
}
