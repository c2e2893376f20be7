package dev.quarry.functions.chunk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import jakarta.inject.Inject;

/** Chunk stage: extracted page text becomes token-bounded chunks that remember pages and offsets. */
public class ChunkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    S3EventBatchProcessor processor;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event, context);
    }
}
