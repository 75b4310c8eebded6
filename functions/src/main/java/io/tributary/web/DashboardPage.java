package io.tributary.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard as one self-contained HTML page: {@code dashboard/index.html} from the app's jar with its
 * stylesheet and script put in place. One request loads it all, so it works offline, and a function key given as
 * {@code ?code=} reaches the page alone; the script passes the same key on to each API call it makes.
 */
public final class DashboardPage {

    private static final String FOLDER = "/dashboard/";

    private static volatile byte[] page;

    private DashboardPage() {
    }

    /** The page's bytes, UTF-8, assembled once per process. */
    public static byte[] html() {
        byte[] assembled = page;
        if (assembled == null) {
            String html = asset("index.html")
                    .replace("/* app.css */", asset("app.css"))
                    .replace("/* app.js */", asset("app.js"));
            page = assembled = html.getBytes(StandardCharsets.UTF_8);
        }
        return assembled;
    }

    private static String asset(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the app's jar lacks " + FOLDER + name + "; rebuild it with mvn package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
