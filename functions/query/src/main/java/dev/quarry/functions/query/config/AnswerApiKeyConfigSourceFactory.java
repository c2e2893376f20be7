package dev.quarry.functions.query.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Provides {@code quarry.answer.api-key} from the Secrets Manager secret named by
 * {@code quarry.answer.api-key-secret-arn} (QUARRY_ANSWER_API_KEY_SECRET_ARN, set by Terraform), so that
 * the key never sits in the function's environment or the Terraform state. The secret is read when the
 * property is first asked for, once. Without the ARN this adds nothing; an api-key set directly
 * (QUARRY_ANSWER_API_KEY, the local way) wins over the secret. Registered in
 * META-INF/services/io.smallrye.config.ConfigSourceFactory; Quarkus uses it at run time only.
 */
public final class AnswerApiKeyConfigSourceFactory implements ConfigSourceFactory {
    static final String API_KEY = "quarry.answer.api-key";
    static final String SECRET_ARN = "quarry.answer.api-key-secret-arn";
    /** Below environment variables (300) and system properties (400), above application.properties (250). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String arn = value(context, SECRET_ARN);
        if (arn == null) {
            return List.of();
        }
        String region = value(context, "quarry.region");
        return List.of(new SecretSource(new AnswerApiKeySecret(arn, () -> client(region))));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The default credentials and region chains of the function (the region of quarry.region when set). */
    static SecretsManagerClient client(String region) {
        var builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().strip();
    }

    /** One property, its value read on first request. */
    static final class SecretSource implements ConfigSource {
        private final AnswerApiKeySecret secret;

        SecretSource(AnswerApiKeySecret secret) {
            this.secret = secret;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(API_KEY);
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of(API_KEY, secret.get());
        }

        @Override
        public String getValue(String name) {
            return API_KEY.equals(name) ? secret.get() : null;
        }

        @Override
        public int getOrdinal() {
            return ORDINAL;
        }

        @Override
        public String getName() {
            return "answer API key secret";
        }
    }
}
