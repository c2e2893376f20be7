package dev.quarry.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line split into positional arguments, {@code --name value} options and {@code --name}
 * switches. Unknown names are refused so that a typo does not silently fall back to a default.
 */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private Args() {
    }

    static Args parse(String[] argv, Set<String> valueOptions, Set<String> switches) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                args.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                args.options.put(name, "true");
            } else if (valueOptions.contains(name)) {
                String value = inlineValue != null ? inlineValue : (i + 1 < argv.length ? argv[++i] : null);
                if (value == null) {
                    throw new UsageException("--" + name + " needs a value");
                }
                args.options.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return args;
    }

    List<String> positional() {
        return positional;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String value(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    int intValue(String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(v);
            if (parsed < 1) {
                throw new UsageException("--" + name + " must be >= 1, was " + v);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** A mistake in the command line: print the message and the usage line, exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
