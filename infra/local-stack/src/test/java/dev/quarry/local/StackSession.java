package dev.quarry.local;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the local stack once per test run, the first time a test class asks for it, and stops it
 * when the run ends (unless it was already running before: then it is reused and left up).
 */
public class StackSession implements LauncherSessionListener, BeforeAllCallback {
    private static volatile StackConfig config;
    private static volatile boolean startedHere;

    public static synchronized StackConfig ensure() {
        if (config == null) {
            StackConfig c = StackConfig.load(StackConfig.findProjectRoot());
            try {
                boolean wasRunning = LocalStack.running(c);
                if (!LocalStack.up(c, true)) {
                    throw new IllegalStateException("The local stack did not start; see " + c.logs());
                }
                startedHere = !wasRunning;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the local stack: " + e.getMessage(), e);
            }
            config = c;
        }
        return config;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensure();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (config != null && startedHere) {
            try {
                LocalStack.down(config, true);
            } catch (Exception e) {
                System.err.println("Could not stop the local stack: " + e.getMessage());
            }
        }
    }
}
