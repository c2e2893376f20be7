package dev.quarry.functions.index;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import jakarta.inject.Inject;

/** Index stage: embedded parts into OpenSearch, completion to READY; removed uploads out of everything. */
public class IndexHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    S3EventBatchProcessor processor;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event, context);
    }
}
