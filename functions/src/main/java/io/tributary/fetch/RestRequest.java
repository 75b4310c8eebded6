package io.tributary.fetch;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One page's GET: the URI to send and the same URL as lineage and messages show it, with secrets as {@code ***}.
 */
record RestRequest(URI uri, String shown) {

    /** The same request with the query parameter {@code name} set to {@code value} (replacing any it had). */
    RestRequest withQuery(String name, String value) {
        return new RestRequest(URI.create(withQuery(uri.toString(), name, value)), withQuery(shown, name, value));
    }

    /** "GET url", as {@link FetchResult#requests()} lists it. */
    String describe() {
        return "GET " + shown;
    }

    static String withQuery(String url, String name, String value) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String rest = hash < 0 ? url : url.substring(0, hash);
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        List<String> pairs = new ArrayList<>();
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!pair.isEmpty() && !java.net.URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    pairs.add(pair);
                }
            }
        }
        pairs.add(encode(name) + "=" + encode(value));
        return path + "?" + String.join("&", pairs) + fragment;
    }

    /** {@code text} encoded as a query component (a space as {@code %20}). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
