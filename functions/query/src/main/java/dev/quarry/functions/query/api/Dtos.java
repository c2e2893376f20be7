package dev.quarry.functions.query.api;

import dev.quarry.core.port.QueryHistory;
import dev.quarry.model.Citation;
import dev.quarry.model.ModelCost;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies. Field names may grow, never change. */
public final class Dtos {
    private Dtos() {
    }

    public record CreateDocumentRequest(String name) {
    }

    public record CreateDocumentResponse(String documentId, String name, String uploadUrl, String method, Instant expiresAt,
            String status) {
    }

    public record Progress(int partsDone, int parts, int percent) {
    }

    /**
     * {@code cost}, once READY: the estimated cost of embedding the document (the tokens the embedding model read for it,
     * at the configured price now; zero for the in-process model).
     */
    public record DocumentView(String documentId, String name, String status, Progress progress, int pages, int chunks,
            String errorCode, String reason, List<String> warnings, String title, String author, long sizeBytes,
            Instant createdAt, Instant updatedAt, ModelCost cost) {
    }

    public record DocumentList(List<DocumentView> documents, long total, String nextCursor) {
    }

    /** A short-lived presigned GET of the document's PDF, for the console's viewer. */
    public record PdfLink(String documentId, String name, String url, String method, Instant expiresAt) {
    }

    public record Filters(List<String> documentIds) {
    }

    public record SearchRequest(String query, Integer topK, String mode, Filters filters) {
    }

    /** {@code section}: the headings (and a table's column headers) the passage sits under, or null. */
    /**
     * {@code flag}: what the passage seems to tell a language model, when it reads as instructions (ignore the rules,
     * a fake system prompt, leave out citations, other tenants' data); such text is document text, never followed.
     * Null for ordinary text.
     */
    public record HitView(String chunkId, String documentId, String name, int pageStart, int pageEnd, String text, double score,
            String section, String flag) {
    }

    public record SearchResponse(List<HitView> hits, String mode, Map<String, Long> timings) {
    }

    public record QueryRequest(String question, Integer topK, String conversationId, Filters filters) {
    }

    public record CitationView(String documentId, String name, int page, String quote) {
        public static CitationView of(Citation c) {
            return new CitationView(c.documentId(), c.name(), c.page(), c.quote());
        }
    }

    /**
     * {@code removedClaims}: claims of a model's answer cut because none of their citations was found verbatim.
     * {@code cost}: the question's estimated model cost (tokens and USD at quarry.cost.* prices; zero for local models).
     * {@code warnings}: what the user should know about the passages behind the answer, such as a passage that reads as
     * instructions to the model (treated as document text and not followed); empty when there is nothing to say.
     */
    public record QueryResponse(String queryId, String answer, String answerMode, boolean found, String note,
            List<CitationView> citations, List<HitView> hits, Map<String, Long> timings, int removedClaims, ModelCost cost,
            List<String> warnings) {
    }

    /**
     * One question of the tenant's history, as it was answered. {@code searchedFor}: what a follow-up was resolved to
     * for retrieval (the question itself when it stood on its own); {@code cost} is null for a question asked before
     * costs were recorded.
     */
    public record HistoryEntry(String queryId, String tenant, String conversationId, String question, String searchedFor,
            String answer, String answerMode, List<CitationView> citations, long tookMillis, ModelCost cost, Instant createdAt) {
        public static HistoryEntry of(QueryHistory.Entry e) {
            return new HistoryEntry(e.queryId(), e.tenant(), e.conversationId(), e.question(), e.searchedFor(), e.answer(),
                    e.answerMode(), e.citations().stream().map(c -> new CitationView(c.documentId(), c.name(), c.page(), c.quote()))
                            .toList(), e.tookMillis(), e.cost(), e.createdAt());
        }
    }

    /** The tenant's recent questions, newest first. */
    public record HistoryList(List<HistoryEntry> queries) {
    }

    public record DeleteResponse(String documentId, String status) {
    }
}
