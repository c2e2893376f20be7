package dev.quarry.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What the local Cognito user pool holds, in {@code .quarry/cognito-user-pool.json}: the pool id, its app
 * clients (as Terraform configures the console's), its password policy, its signing key and its users. Written
 * on the first {@code scripts/quarry up} with a demo user per demo tenant (generated passwords, printed like the
 * API keys) and one invited user who must choose a password on the first sign-in. A password a user chose is
 * kept only as a PBKDF2 hash; a generated one stays readable so that it can be printed.
 */
final class LocalUserPool {
    static final String FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD";
    static final String CONFIRMED = "CONFIRMED";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** An app client: the console's in Terraform has no secret and allows USER_PASSWORD_AUTH and refresh. */
    record Client(String clientId, String name, List<String> explicitAuthFlows, boolean preventUserExistenceErrors,
                  int idTokenValidityMinutes, int accessTokenValidityMinutes, int refreshTokenValidityDays) {
        boolean allows(String flow) {
            return explicitAuthFlows.contains("ALLOW_" + flow);
        }
    }

    /** {@code username} is what Cognito makes it in a pool whose users sign in with their email: the sub, a UUID. */
    record User(String username, String email, String tenant, String status, String password, String passwordHash) {
        boolean passwordMatches(String candidate) {
            if (candidate == null) {
                return false;
            }
            if (password != null) {
                return MessageDigest.isEqual(password.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return passwordHash != null && MessageDigest.isEqual(passwordHash.getBytes(), hash(candidate, saltOf(passwordHash)).getBytes());
        }

        User withNewPassword(String newPassword) {
            return new User(username, email, tenant, CONFIRMED, null, hash(newPassword, salt()));
        }

        boolean isCalled(String name) {
            return name != null && (name.equals(username) || name.equalsIgnoreCase(email));
        }
    }

    record State(String userPoolId, String region, int passwordMinimumLength, List<Client> clients,
                 Map<String, Object> signingKey, List<User> users) {
        Optional<Client> client(String clientId) {
            return clients.stream().filter(c -> c.clientId().equals(clientId)).findFirst();
        }

        Optional<User> user(String name) {
            return users.stream().filter(u -> u.isCalled(name)).findFirst();
        }

        String consoleClientId() {
            return clients.getFirst().clientId();
        }

        RsaJsonWebKey key() {
            try {
                return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(signingKey);
            } catch (JoseException e) {
                throw new IllegalStateException("The local user pool's signing key is unreadable", e);
            }
        }

        State withUser(User user) {
            List<User> all = new ArrayList<>(users.stream().filter(u -> !u.username().equals(user.username())).toList());
            all.add(user);
            return new State(userPoolId, region, passwordMinimumLength, clients, signingKey, List.copyOf(all));
        }
    }

    private final Path file;
    private final String region;

    LocalUserPool(Path file, String region) {
        this.file = file;
        this.region = region;
    }

    Path file() {
        return file;
    }

    /** The pool as it is now, created with its demo users on the first call. */
    State read() {
        return update(UnaryOperator.identity());
    }

    /** Adds a user of {@code tenant} with a generated password; {@code invited}: must choose a new one first. */
    String addUser(String email, String tenant, boolean invited) {
        String password = password();
        update(s -> {
            if (s.user(email).isPresent()) {
                throw new IllegalArgumentException("The local user pool already has a user " + email);
            }
            return s.withUser(new User(UUID.randomUUID().toString(), email, tenant, invited ? FORCE_CHANGE_PASSWORD : CONFIRMED, password, null));
        });
        return password;
    }

    /** Reads, changes and writes the file under a lock: the stack and a test's JVM may both write it. */
    synchronized State update(UnaryOperator<State> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                State before = Files.exists(file) ? JSON.readValue(file.toFile(), State.class) : null;
                State after = change.apply(before == null ? created() : before);
                if (before == null || !after.equals(before)) {
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(after));
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return after;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the local user pool " + file, e);
        }
    }

    private State created() {
        RsaJsonWebKey key;
        try {
            key = RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot generate the local user pool's signing key", e);
        }
        key.setKeyId(Base64.getEncoder().encodeToString(random(32)));
        key.setAlgorithm("RS256");
        key.setUse("sig");
        Client console = new Client(lowercase(26), "quarry-local-console", List.of("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
                true, 60, 60, 1);
        List<User> users = List.of(
                new User(UUID.randomUUID().toString(), "demo@quarry.local", "demo", CONFIRMED, password(), null),
                new User(UUID.randomUUID().toString(), "other@quarry.local", "other", CONFIRMED, password(), null),
                new User(UUID.randomUUID().toString(), "invited@quarry.local", "demo", FORCE_CHANGE_PASSWORD, password(), null));
        return new State(region + "_" + alphanumeric(9), region, 12, List.of(console),
                key.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), users);
    }

    /** 16 characters of letters and digits: long enough for the pool's 12-character policy. */
    static String password() {
        return alphanumeric(16);
    }

    private static String alphanumeric(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }

    private static String lowercase(int n) {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(chars.charAt(RANDOM.nextInt(chars.length())));
        }
        return s.toString();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String salt() {
        return Base64.getEncoder().encodeToString(random(16));
    }

    private static String saltOf(String hash) {
        return hash.split("\\$")[2];
    }

    private static String hash(String password, String salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(salt), 100_000, 256);
            byte[] h = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return "pbkdf2-sha256$100000$" + salt + "$" + Base64.getEncoder().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
