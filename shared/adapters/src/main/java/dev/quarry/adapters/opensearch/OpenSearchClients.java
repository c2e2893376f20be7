package dev.quarry.adapters.opensearch;

import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * One OpenSearch client per process: plain HTTP locally, AWS SigV4 (service "es") against an
 * Amazon OpenSearch Service domain.
 */
public final class OpenSearchClients {
    private OpenSearchClients() {
    }

    /** A client and what must be closed with it. */
    public record Handle(OpenSearchClient client, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    public static Handle local(String endpoint) {
        URI uri = URI.create(endpoint);
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder
                .builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                .setMapper(new JacksonJsonpMapper())
                .build();
        return new Handle(new OpenSearchClient(transport), transport);
    }

    public static Handle sigV4(String endpoint, String region) {
        SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build();
        OpenSearchTransport transport = new AwsSdk2Transport(http, URI.create(endpoint).getHost(), "es", Region.of(region),
                AwsSdk2TransportOptions.builder().setMapper(new JacksonJsonpMapper()).build());
        return new Handle(new OpenSearchClient(transport), () -> {
            transport.close();
            http.close();
        });
    }

    public static Handle create(String endpoint, boolean sigV4, String region) {
        return sigV4 ? sigV4(endpoint, region) : local(endpoint);
    }
}
