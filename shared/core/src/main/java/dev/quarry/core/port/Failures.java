package dev.quarry.core.port;

import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.ErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a failure is worth another attempt. Transient: throttling, 5xx,
 * timeouts, connection resets, a server not reachable ({@link RetryableException} from the adapters, I/O,
 * a model client's retriable errors). Permanent: the document itself ({@link DocumentRejectedException}),
 * access denied and corrupt or missing work files ({@link PermanentException} from the adapters and the
 * stages), a model mismatch, a model that refuses the request, and defects (IllegalArgumentException,
 * NullPointerException and their kind) which fail the same way every time. A failure nothing recognises
 * is treated as transient: it is retried, then kept in the dead-letter queue for a redrive.
 * <p>
 * Vendor exceptions are recognised by their class names (langchain4j's {@code RetriableException} and
 * {@code NonRetriableException}, the AWS SDK's client and service exceptions) so that this framework-free
 * module needs none of those libraries.
 */
public final class Failures {
    private static final Set<Class<? extends Throwable>> DEFECTS = Set.of(IllegalArgumentException.class,
            IllegalStateException.class, NullPointerException.class, ClassCastException.class, IndexOutOfBoundsException.class,
            UnsupportedOperationException.class, ArithmeticException.class, ArrayStoreException.class,
            java.util.NoSuchElementException.class, StackOverflowError.class, LinkageError.class, AssertionError.class);
    private static final Pattern AWS_STATUS = Pattern.compile("Status Code: (\\d{3})");
    private static final int MAX_SUMMARY = 300;

    private Failures() {
    }

    /** What a failure means for the record that caused it. */
    public record Failure(boolean permanent, ErrorCode code, String reason, Throwable cause) {
        public boolean transientFailure() {
            return !permanent;
        }
    }

    /**
     * Classifies {@code error} thrown by the {@code stage} stage (a word such as "embed", used in reasons).
     * The cause chain is read from the outside in; the first link recognised decides.
     */
    public static Failure classify(Throwable error, String stage) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            Failure f = recognise(t, error, stage);
            if (f != null) {
                return f;
            }
        }
        return new Failure(false, ErrorCode.UNAVAILABLE, "The " + stage + " stage failed (" + summary(error) + ").", error);
    }

    /** True when another attempt may succeed. */
    public static boolean isTransient(Throwable error) {
        return classify(error, "request").transientFailure();
    }

    /**
     * The reason recorded when a transient failure outlasted every delivery its queue allows: the message
     * is in the dead-letter queue and can be redriven once the cause is gone.
     */
    public static Failure exhausted(Failure last, String stage, int attempts) {
        return new Failure(false, ErrorCode.UNAVAILABLE, "The " + stage + " stage kept failing on a service it needs through "
                + attempts + (attempts == 1 ? " delivery" : " deliveries") + " (" + summary(last.cause()) + "); its message "
                + "was moved to the dead-letter queue. Once the service is back, redrive the queue or upload the PDF again.",
                last.cause());
    }

    private static Failure recognise(Throwable t, Throwable outer, String stage) {
        if (t instanceof RetryableException) {
            return new Failure(false, ErrorCode.UNAVAILABLE, t.getMessage(), outer);
        }
        if (t instanceof PermanentException p) {
            return new Failure(true, p.code(), p.getMessage(), outer);
        }
        if (t instanceof DocumentRejectedException r) {
            return new Failure(true, r.code(), r.reason(), outer);
        }
        if (t instanceof ChunkIndex.ModelMismatchException) {
            return new Failure(true, ErrorCode.MODEL_MISMATCH, t.getMessage(), outer);
        }
        if (t instanceof ObjectStore.ObjectMissingException) {
            return new Failure(true, ErrorCode.INTERNAL, "A work file of this version is missing (" + t.getMessage()
                    + "), so the " + stage + " stage cannot go on. Upload the PDF again.", outer);
        }
        if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof InterruptedException
                || t instanceof java.util.concurrent.TimeoutException) {
            return new Failure(false, ErrorCode.UNAVAILABLE, summary(t), outer);
        }
        String vendor = vendorKind(t.getClass());
        if ("retriable".equals(vendor) || "aws-client".equals(vendor)) {
            return new Failure(false, ErrorCode.UNAVAILABLE, summary(t), outer);
        }
        if ("model-refused".equals(vendor)) {
            return new Failure(true, ErrorCode.MODEL_REJECTED, "The model refused the " + stage + " stage's request ("
                    + summary(t) + "). Check the model settings (quarry.embedding.*) and the function's access to the model, "
                    + "then upload the PDF again.", outer);
        }
        if ("aws-service".equals(vendor)) {
            int status = awsStatus(t);
            if (status == 429 || status >= 500 || status < 0) {
                return new Failure(false, ErrorCode.UNAVAILABLE, summary(t), outer);
            }
            if (status == 401 || status == 403) {
                return new Failure(true, ErrorCode.ACCESS_DENIED, "The " + stage + " stage was refused access by an AWS service ("
                        + summary(t) + "). Grant the function's role the permission, then upload the PDF again.", outer);
            }
            return new Failure(true, ErrorCode.MODEL_REJECTED, "An AWS service refused the " + stage + " stage's request ("
                    + summary(t) + "). Check the configuration it names, then upload the PDF again.", outer);
        }
        for (Class<? extends Throwable> defect : DEFECTS) {
            if (defect.isInstance(t)) {
                return new Failure(true, ErrorCode.INTERNAL, "The " + stage + " stage failed on a defect that retrying cannot fix ("
                        + summary(t) + "). The document was not processed; report this reason to the operators.", outer);
            }
        }
        return null;
    }

    private static String vendorKind(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            switch (c.getName()) {
                case "dev.langchain4j.exception.RetriableException" -> {
                    return "retriable";
                }
                case "dev.langchain4j.exception.NonRetriableException" -> {
                    return "model-refused";
                }
                case "software.amazon.awssdk.core.exception.SdkClientException" -> {
                    return "aws-client";
                }
                case "software.amazon.awssdk.awscore.exception.AwsServiceException" -> {
                    return "aws-service";
                }
                default -> {
                }
            }
        }
        return null;
    }

    /** The HTTP status the AWS SDK writes into every service exception's message, -1 when absent. */
    private static int awsStatus(Throwable t) {
        Matcher m = AWS_STATUS.matcher(String.valueOf(t.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** "Type: message", on one line and at most 300 characters. */
    public static String summary(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().strip().replaceAll("\\s+", " ");
        String text = t.getClass().getSimpleName() + message;
        return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 3) + "...";
    }
}
