package dev.quarry.functions.query.api;

import dev.quarry.retrieval.answer.Instructions;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.functions.query.service.Searches;
import dev.quarry.functions.query.service.Tenants;
import dev.quarry.model.SearchHit;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Locale;

@Path("/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SearchResource {
    static final int MAX_TOP_K = 50;

    @Inject
    Tenants tenants;
    @Inject
    Searches searches;

    @POST
    @Operation(summary = "Retrieval only: hybrid (default), bm25 or knn, scoped to the caller's tenant.")
    public Dtos.SearchResponse search(Dtos.SearchRequest request, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        if (request == null) {
            throw ApiException.badRequest("query", "Send a JSON body like {\"query\": \"...\", \"topK\": 10}.");
        }
        String query = Validation.text(request.query(), "query");
        int topK = Validation.topK(request.topK(), 10, MAX_TOP_K);
        ChunkIndex.Mode mode = mode(request.mode());
        Searches.Searched searched = searches.search(tenant, query, topK, mode, Validation.documentIds(request.filters()));
        return new Dtos.SearchResponse(views(searched.hits()), mode.name().toLowerCase(Locale.ROOT), searched.timings());
    }

    static ChunkIndex.Mode mode(String mode) {
        if (mode == null) {
            return ChunkIndex.Mode.HYBRID;
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "hybrid" -> ChunkIndex.Mode.HYBRID;
            case "bm25" -> ChunkIndex.Mode.BM25;
            case "knn" -> ChunkIndex.Mode.KNN;
            default -> throw ApiException.badRequest("mode", "'mode' must be one of hybrid, bm25, knn; got '" + mode + "'.");
        };
    }

    static List<Dtos.HitView> views(List<SearchHit> hits) {
        return hits.stream().map(h -> new Dtos.HitView(h.chunkId(), h.documentId(), h.name(), h.pageStart(), h.pageEnd(), h.text(),
                h.score(), h.section(), Instructions.in(h.text()).orElse(null))).toList();
    }
}
