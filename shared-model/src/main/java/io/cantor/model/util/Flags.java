package io.cantor.model.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags of the form {@code --name value} or {@code --name=value}, plus positional
 * arguments. Unknown flags are errors, so a typo never silently falls back to a default.
 */
public final class Flags {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Flags() {
    }

    /**
     * @param known    flags that take a value
     * @param switches flags that take none (their value reads as "true")
     */
    public static Flags parse(String[] args, Set<String> known, Set<String> switches) {
        Flags flags = new Flags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                flags.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                flags.values.put(name, value == null ? "true" : value);
            } else if (known.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                flags.values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
        }
        return flags;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, not '" + v + "'");
        }
    }

    public double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
        }
    }

    public List<String> positional() {
        return positional;
    }
}
