package dev.quarry.functions.extract;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.extract.ExtractionLimits;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.ExtractService;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class ExtractWiring {

    @Produces
    @ApplicationScoped
    ExtractService extractService(ObjectStore store, Documents documents, QuarryConfig config) {
        QuarryConfig.Extract e = config.extract();
        return new ExtractService(store, documents,
                new PdfExtractor(new ExtractionLimits(e.maxBytes(), e.maxPages(), e.timeout())), e.pagesPerPart(), e.maxBytes());
    }
}
