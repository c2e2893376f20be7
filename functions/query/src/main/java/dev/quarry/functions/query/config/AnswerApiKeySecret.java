package dev.quarry.functions.query.config;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * The answer API key, read from Secrets Manager on first use and kept for the life of the sandbox.
 * A rotated key reaches new sandboxes; running ones keep the key they read.
 */
public final class AnswerApiKeySecret implements Supplier<String> {
    private final String secretArn;
    private final Supplier<SecretsManagerClient> clients;
    private volatile String value;

    /** @param clients builds the client on first use; it is closed after the one read */
    public AnswerApiKeySecret(String secretArn, Supplier<SecretsManagerClient> clients) {
        this.secretArn = secretArn;
        this.clients = clients;
    }

    @Override
    public String get() {
        String key = value;
        if (key == null) {
            synchronized (this) {
                if (value == null) {
                    value = read();
                }
                key = value;
            }
        }
        return key;
    }

    private String read() {
        try (SecretsManagerClient client = clients.get()) {
            GetSecretValueResponse response = client.getSecretValue(request -> request.secretId(secretArn));
            String key = response.secretString();
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("Secret " + secretArn + " (quarry.answer.api-key-secret-arn) has no SecretString:"
                        + " store the bare API key as the secret's text value");
            }
            return key.strip();
        } catch (SdkException e) {
            throw new IllegalStateException("Failed to read the answer API key from secret " + secretArn
                    + " (quarry.answer.api-key-secret-arn): check that the secret exists, that the function's role may"
                    + " call secretsmanager:GetSecretValue on it, and that the function's subnets reach Secrets Manager"
                    + " (an interface endpoint or NAT). " + e.getMessage(), e);
        }
    }
}
