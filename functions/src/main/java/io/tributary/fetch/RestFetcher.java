package io.tributary.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.definition.source.Incremental;
import io.tributary.definition.source.RestSource;
import io.tributary.fetch.SourceException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches a {@link RestSource}: expands the url and headers, GETs page after page as its pagination says, and writes
 * the records at {@code records} of each page as JSON Lines. Only one page is in memory at a time.
 *
 * <p>Incremental loads: the low watermark ({@link FetchContext#watermark()}, else {@code incremental.initial}, else
 * none) is the run parameter {@code {watermark}}; records whose cursor is at or before it are dropped, and the result's
 * high watermark is the largest cursor written.
 */
public final class RestFetcher implements Fetcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestSource source;
    private final Optional<Incremental> incremental;
    private final RetryPolicy policy;
    private final Sleeper sleeper;

    /** A fetcher that backs off with {@link RetryPolicy#DEFAULT} and really sleeps. */
    public RestFetcher(RestSource source, Optional<Incremental> incremental) {
        this(source, incremental, RetryPolicy.DEFAULT, Sleeper.REAL);
    }

    public RestFetcher(RestSource source, Optional<Incremental> incremental, RetryPolicy policy, Sleeper sleeper) {
        this.source = source;
        this.incremental = incremental;
        this.policy = policy;
        this.sleeper = sleeper;
    }

    @Override
    public FetchResult fetch(FetchContext context, OutputStream out) {
        Optional<String> low = context.watermark().or(() -> incremental.flatMap(Incremental::initial));
        Map<String, String> parameters = new HashMap<>(context.parameters());
        low.ifPresentOrElse(w -> parameters.put("watermark", w), () -> parameters.putIfAbsent("watermark", ""));
        Secrets secrets = new Secrets(context.secrets());
        Placeholders placeholders = new Placeholders(context.settings(), parameters, secrets);
        Map<String, String> headers = new LinkedHashMap<>();
        source.headers().forEach((name, template) -> headers.put(name, placeholders.header(name, template)));
        Pager pager = Pager.of(source.pagination(), secrets);
        RestRequest request = pager.first(placeholders.url(source.url()));

        Duration timeout = Duration.ofSeconds(source.timeoutSeconds());
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        PageClient client = new PageClient(http, headers, credentialSettings(), secrets, timeout, source.maxAttempts(),
                source.maxResponseBytes(), policy, sleeper);
        WatermarkFilter filter = new WatermarkFilter(incremental.map(Incremental::cursor), low);
        String headerSummary = headers.isEmpty() ? "" : " [" + String.join(", ",
                headers.keySet().stream().map(h -> h + ": " + Secrets.MASK).toList()) + "]";

        List<String> requests = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        for (int number = 1; ; number++) {
            if (number > source.maxPages()) {
                throw new SourceException(Kind.TOO_LARGE, "the API has more than " + source.maxPages() + " pages "
                        + "(source.rest.maxPages); raise it, or narrow the request (e.g. an incremental cursor)");
            }
            Page page = client.get(request, number);
            requests.add(request.describe() + headerSummary);
            JsonNode array = records(page);
            for (int i = 0; i < array.size(); i++) {
                JsonNode record = array.get(i);
                if (!record.isObject()) {
                    throw new SourceException(Kind.MALFORMED_RESPONSE, "record " + i + " of " + page.where() + " at "
                            + pointer() + " is " + describe(record) + ", not a JSON object");
                }
                if (filter.keep(record, page, i)) {
                    bytes += write(record, out);
                    records++;
                }
            }
            Optional<RestRequest> next = pager.next(page, array.size());
            if (next.isEmpty()) {
                break;
            }
            if (next.get().uri().equals(request.uri()) || next.get().uri().equals(page.request().uri())) {
                throw new SourceException(Kind.MALFORMED_RESPONSE, page.where() + " names itself as the next page; "
                        + "the pagination would never end (check source.rest.pagination)");
            }
            request = next.get();
        }
        return new FetchResult(records, bytes, filter.high(), requests);
    }

    /** The array of records in {@code page}, at the {@code records} pointer. */
    private JsonNode records(Page page) {
        JsonNode array = page.body().at(source.records());
        if (array.isArray()) {
            return array;
        }
        String found = array.isMissingNode() ? "nothing" : describe(array);
        JsonNode body = page.body();
        String fields = "";
        if (body.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            fields = "; the body's top-level fields are " + (names.isEmpty() ? "none" : String.join(", ", names));
        }
        throw new SourceException(Kind.MALFORMED_RESPONSE, page.where() + " has " + found + " at " + pointer()
                + ", where source.rest.records says its array of records is" + fields);
    }

    private String pointer() {
        return source.records().isEmpty() ? "\"\" (the body)" : source.records();
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        String text = node.toString();
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    /** For a 401/403: which settings the headers send, e.g. {@code CRM_API_TOKEN (header Authorization)}. */
    private String credentialSettings() {
        List<String> used = new ArrayList<>();
        source.headers().forEach((name, template) -> Placeholders.settingsIn(template)
                .forEach(setting -> used.add(setting + " (header " + name + ")")));
        Placeholders.settingsIn(source.url().contains("?") ? source.url().substring(source.url().indexOf('?')) : "")
                .forEach(setting -> used.add(setting + " (in the url's query)"));
        return String.join(", ", used);
    }

    private static long write(JsonNode record, OutputStream out) {
        try {
            byte[] line = JSON.writeValueAsBytes(record);
            out.write(line);
            out.write('\n');
            return line.length + 1L;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fetched records", e);
        }
    }
}
