package io.tributary.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's arguments: positionals, {@code --flag}s and {@code --option value}s. */
final class Args {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();

    /**
     * Parses {@code args}.
     *
     * @param flags   options that take no value
     * @param valued  options that take one value (may repeat)
     * @throws UsageException naming an unknown option
     */
    Args(List<String> args, Set<String> flags, Set<String> valued) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    Set<String> all = new java.util.TreeSet<>(flags);
                    all.addAll(valued);
                    throw new UsageException("unknown option --" + name + (all.isEmpty() ? "" : "; options: --"
                            + String.join(", --", all)));
                }
            } else {
                positionals.add(arg);
            }
        }
    }

    List<String> positionals() {
        return positionals;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> option(String name) {
        List<String> values = options.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    /** A positive whole-number option, or {@code fallback}. */
    long number(String name, long fallback) {
        String value = option(name).orElse(Long.toString(fallback));
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " takes a positive whole number; got '" + value + "'");
    }

    /** A port option: 0 (any free port) to 65535. */
    int port(String name, int fallback) {
        String value = option(name).orElse(Integer.toString(fallback));
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " takes a port from 0 (any free one) to 65535; got '" + value + "'");
    }

    /** A duration option given in whole seconds, or {@code fallback} seconds. */
    java.time.Duration seconds(String name, long fallback) {
        String value = option(name).orElse(Long.toString(fallback));
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0) {
                return java.time.Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " takes a whole number of seconds, such as 300; got '" + value + "'");
    }

    /** The only positional argument, or a usage error. */
    String single(String what) {
        if (positionals.size() != 1) {
            throw new UsageException("expected one " + what + (positionals.isEmpty() ? "" : ", got " + positionals));
        }
        return positionals.get(0);
    }
}
