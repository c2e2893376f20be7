package dev.quarry.ai.answer;

import dev.quarry.testsupport.FakeHttpEndpoint;

import java.io.IOException;
import java.util.Map;

/**
 * A Bedrock Runtime endpoint on a random local port that answers the Converse operation
 * ({@code POST /model/{modelId}/converse}) with queued replies and records what it received.
 */
final class FakeBedrock extends FakeHttpEndpoint {

    FakeBedrock() throws IOException {
        super();
    }

    String endpoint() {
        return root();
    }

    /** Queues a successful Converse response whose single content block is {@code text}. */
    FakeBedrock answers(String text) {
        String body = """
                {"output":{"message":{"role":"assistant","content":[{"text":%s}]}},\
                "stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15},\
                "metrics":{"latencyMs":5}}""".formatted(jsonString(text));
        return reply(200, Map.of(), body);
    }

    /** Queues a 429 as Bedrock sends it when the account's quota is exhausted. */
    FakeBedrock throttles() {
        return reply(429, Map.of("x-amzn-ErrorType", "ThrottlingException"), "{\"message\":\"Too many requests\"}");
    }

    FakeBedrock reply(int status, Map<String, String> headers, String body) {
        enqueue(status, headers, body);
        return this;
    }

    @Override
    protected Reply nothingQueued() {
        return new Reply(500, Map.of("x-amzn-ErrorType", "InternalServerException"), "{\"message\":\"no reply queued\"}");
    }

    @Override
    protected Map<String, String> headersOfEveryReply(int callNumber) {
        return Map.of("x-amzn-RequestId", "fake-" + callNumber);
    }

    /** {@code text} as a JSON string literal, quoted and escaped by Jackson. */
    private static String jsonString(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

}
