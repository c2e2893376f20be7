package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The route dimension is the resource method's template, so its values are as few as the API's methods. */
class RouteTemplateTest {

    @Test
    void joins_the_class_and_method_paths_and_drops_a_parameters_regex() throws Exception {
        assertThat(ResponseMetrics.template(SearchResource.class.getMethod("search", Dtos.SearchRequest.class,
                APIGatewayV2HTTPEvent.class))).isEqualTo("/v1/search");
        assertThat(ResponseMetrics.template(DocumentsResource.class.getMethod("pdf", String.class,
                APIGatewayV2HTTPEvent.class))).isEqualTo("/v1/documents/{documentId}/pdf");
        assertThat(ResponseMetrics.template(ConsoleResource.class.getMethod("file", String.class, String.class, String.class)))
                .isEqualTo("/console/{file}");
    }
}
