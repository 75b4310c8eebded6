package io.tributary.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/**
 * One page of a response, parsed: the only part of a source a fetch holds in memory.
 *
 * @param request the request that got it
 * @param number  its number in the fetch, from 1
 * @param body    the parsed body
 * @param headers the response's headers
 */
record Page(RestRequest request, int number, JsonNode body, HttpHeaders headers) {

    /** "page 3 (GET https://…)", for messages. */
    String where() {
        return "page " + number + " (" + request.describe() + ")";
    }
}
