package dev.quarry.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.bedrock.BedrockTitanEmbeddingModel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The registration names by string; a langchain4j upgrade that renames the response type fails here. */
class AiNativeReflectionTest {

    @Test
    void registers_the_response_type_titan_embeddings_are_read_into() {
        Class<?> response = (Class<?>) ((ParameterizedType) BedrockTitanEmbeddingModel.class.getGenericSuperclass())
                .getActualTypeArguments()[0];
        String[] registered = AiNativeReflection.class.getAnnotation(RegisterForReflection.class).classNames();

        assertThat(Arrays.asList(registered)).contains(response.getName());
    }
}
