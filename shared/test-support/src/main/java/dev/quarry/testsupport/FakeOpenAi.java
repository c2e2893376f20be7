package dev.quarry.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Map;

/**
 * An OpenAI-compatible endpoint on a random local port that answers {@code POST /v1/chat/completions}
 * with queued replies and records what it received.
 */
public final class FakeOpenAi extends FakeHttpEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private int answers;

    public FakeOpenAi() throws IOException {
        super();
    }

    /** The base URL a client is configured with; it appends {@code /chat/completions}. */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** Queues a chat completion whose single choice says {@code text}. */
    public FakeOpenAi answers(String text) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + (++answers))
                .put("object", "chat.completion")
                .put("created", 1_700_000_000)
                .put("model", "gpt-4o-mini");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", text);
        body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return reply(200, body.toString());
    }

    /** Queues a 429 as OpenAI sends it when the rate limit is hit. */
    public FakeOpenAi rateLimits() {
        return error(429, "rate_limit_exceeded", "Rate limit reached for requests");
    }

    /** Queues a 429 that, as OpenAI's does, says in Retry-After how many seconds to wait. */
    public FakeOpenAi rateLimits(int retryAfterSeconds) {
        enqueue(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
                "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"rate_limit_exceeded\",\"code\":\"rate_limit_exceeded\"}}");
        return this;
    }

    public FakeOpenAi error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", code).put("code", code);
        return reply(status, body.toString());
    }

    public FakeOpenAi reply(int status, String body) {
        enqueue(status, Map.of(), body);
        return this;
    }

    @Override
    protected Reply nothingQueued() {
        return new Reply(500, Map.of(), "{\"error\":{\"message\":\"no reply queued\",\"type\":\"server_error\"}}");
    }
}
