package dev.quarry.adapters.opensearch;

import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/**
 * One OpenSearch client per process: plain HTTP locally, AWS SigV4 (service "es") against an
 * Amazon OpenSearch Service domain. Both serialize requests and documents through the adapters' one
 * JSON mapper ({@link OpenSearchJsonMapper}).
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
                .setMapper(OpenSearchJsonMapper.JSONP)
                .build();
        return new Handle(new OpenSearchClient(transport), transport);
    }

    /** SigV4 with the default credentials chain (in Lambda: the function role's credentials from the environment). */
    public static Handle sigV4(String endpoint, String region) {
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Handle handle = sigV4(endpoint, region, credentials);
        return new Handle(handle.client(), () -> {
            handle.close();
            credentials.close();
        });
    }

    /**
     * SigV4 (service "es") over TLS: {@code AwsSdk2Transport} always speaks HTTPS to the host it is given,
     * and signs that host with its port, so the endpoint must be an https:// URL and its port is kept.
     */
    public static Handle sigV4(String endpoint, String region, AwsCredentialsProvider credentials) {
        URI uri = URI.create(endpoint);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("quarry.opensearch.endpoint must be an https:// URL when quarry.opensearch.sigv4 is true "
                    + "(SigV4 requests go over TLS), got '" + endpoint + "'");
        }
        String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build();
        OpenSearchTransport transport = new AwsSdk2Transport(http, host, "es", Region.of(region),
                AwsSdk2TransportOptions.builder().setMapper(OpenSearchJsonMapper.JSONP).setCredentials(credentials).build());
        return new Handle(new OpenSearchClient(transport), () -> {
            transport.close();
            http.close();
        });
    }

    public static Handle create(String endpoint, boolean sigV4, String region) {
        return sigV4 ? sigV4(endpoint, region) : local(endpoint);
    }
}
