package dev.quarry.functions.extract;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.extract.ExtractionLimits;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.ExtractService;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class ExtractWiring {

    @Produces
    @ApplicationScoped
    ExtractService extractService(ObjectStore store, Documents documents, QuarryConfig config) {
        QuarryConfig.Extract e = config.extract();
        return new ExtractService(store, documents,
                new PdfExtractor(new ExtractionLimits(e.maxBytes(), e.maxPages(), e.timeout())), e.pagesPerPart(), e.maxBytes());
    }

    /** Built once per sandbox; on the queue's last delivery a failing record ends its document FAILED. */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(ExtractService service, Documents documents, QuarryConfig config) {
        return new S3EventBatchProcessor(service::handle, config.queue().maxReceiveCount(),
                (notification, cause, attempts) -> documents.giveUp("extract", notification, cause, attempts));
    }
}
