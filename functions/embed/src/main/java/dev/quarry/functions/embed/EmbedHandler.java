package dev.quarry.functions.embed;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.EmbedService;
import jakarta.inject.Inject;

/** Embed stage: one vector per chunk, batched through the configured embedding model. */
public class EmbedHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    EmbedService service;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return new S3EventBatchProcessor(service::handle).process(event);
    }
}
