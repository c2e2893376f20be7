package dev.quarry.functions.extract;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import jakarta.inject.Inject;

/** Extract stage: uploads are validated and split into page ranges; range tasks become page text. */
public class ExtractHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    S3EventBatchProcessor processor;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event, context);
    }
}
