package io.tributary.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of Tributary that is running, recorded in every manifest: the jar's {@code Implementation-Version},
 * else the {@code version.properties} the build writes beside the classes (what {@code ./tributary} and the tests
 * run), else {@code "dev"} (classes compiled by an IDE without the build).
 */
public final class AppVersion {

    private static final String CURRENT = find();

    private AppVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String find() {
        String fromJar = AppVersion.class.getPackage().getImplementationVersion();
        if (fromJar != null && !fromJar.isBlank()) {
            return fromJar;
        }
        try (InputStream in = AppVersion.class.getResourceAsStream("/io/tributary/version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").trim();
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // Unreadable: the fallback below says as much as can be said.
        }
        return "dev";
    }
}
