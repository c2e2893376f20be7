package dev.quarry.functions.query.service;

/**
 * A request the services refuse: who is asking, or what is asked for, does not allow it. The API turns each
 * kind into its HTTP answer (api.ErrorMappers); the services know nothing of HTTP.
 */
public abstract sealed class Refusal extends RuntimeException {

    private Refusal(String message) {
        super(message);
    }

    /** No authenticated tenant in the request. */
    public static final class Unauthenticated extends Refusal {
        public Unauthenticated(String message) {
            super(message);
        }
    }

    /** An authenticated caller whose tenant cannot be served. */
    public static final class InvalidTenant extends Refusal {
        public InvalidTenant(String message) {
            super(message);
        }
    }

    /** Nothing of that id exists for the caller (another tenant's document is not found either). */
    public static final class NotFound extends Refusal {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The document exists but its PDF has not arrived yet. */
    public static final class NotUploaded extends Refusal {
        public NotUploaded(String message) {
            super(message);
        }
    }
}
