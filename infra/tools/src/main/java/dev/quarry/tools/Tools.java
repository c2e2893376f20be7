package dev.quarry.tools;

import org.opensearch.client.opensearch.OpenSearchClient;

/** Process set-up shared by the tools' main methods. */
final class Tools {
    private Tools() {
    }

    /** Headless charts, and JBoss LogManager as the JUL backend (set before anything logs). */
    static void init() {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    /** Fails with a hint to start the stack when OpenSearch does not answer. */
    static void requireReachable(OpenSearchClient client, String endpoint) {
        try {
            client.info();
        } catch (Exception e) {
            throw new ToolException("OpenSearch does not answer at " + endpoint + " (" + e.getMessage()
                    + "). Start the local stack with scripts/quarry up, or pass --opensearch URL.", e);
        }
    }

    /** Prints why a tool failed: the message for expected failures, the stack trace for anything else. */
    static void fail(String tool, Exception e) {
        if (e instanceof ToolException) {
            System.err.println(tool + " failed: " + e.getMessage());
        } else {
            System.err.println(tool + " failed: " + e);
            e.printStackTrace(System.err);
        }
    }

    /** A failure with a message that says what to do; no stack trace needed. */
    static final class ToolException extends RuntimeException {
        ToolException(String message) {
            super(message);
        }

        ToolException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
