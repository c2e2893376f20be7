package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.FakeEmbedder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The model-free embedder of shared/test-support in place of the ONNX model, for test profiles: the
 * ONNX runtime's native tokenizer loads into one class loader per JVM, and each profile starts
 * Quarkus in a class loader of its own, so only the default profile may load it.
 */
@Alternative
@ApplicationScoped
public class HashingEmbedding {

    @Produces
    @Singleton
    Embedder embedder() {
        return new FakeEmbedder();
    }
}
