package dev.quarry.functions.embed;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import jakarta.inject.Inject;

/** Embed stage: one vector per chunk, batched through the configured embedding model. */
public class EmbedHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    S3EventBatchProcessor processor;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event, context);
    }
}
