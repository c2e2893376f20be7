package dev.quarry.functions.extract;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.extract.ExtractionLimits;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.ExtractService;
import dev.quarry.core.port.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class ExtractWiring {

    @Produces
    @ApplicationScoped
    ExtractService extractService(ObjectStore store, DocumentLifecycle documents, QuarryConfig config) {
        QuarryConfig.Extract e = config.extract();
        return new ExtractService(store, documents,
                new PdfExtractor(new ExtractionLimits(e.maxBytes(), e.maxPages(), e.timeout())), e.pagesPerPart(), e.maxBytes());
    }

    /**
     * Built once per sandbox: a permanent failure ends its document FAILED at once; a transient one is retried
     * with backoff, then by the queue after a growing delay, and on the queue's last delivery ends its document FAILED too.
     */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(ExtractService service, DocumentLifecycle documents, Backoff backoff, Redelivery redelivery,
            QuarryConfig config, MeterRegistry registry, EmfWriter emf) {
        return new S3EventBatchProcessor("extract", service::handle, config.queue().maxReceiveCount(), backoff, documents::fail,
                new StageMetrics("extract", registry, emf::flush), redelivery);
    }
}
