package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.crank.core.CrankJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Turns {@code text/event-stream} lines into one JSON object per event for {@code invoke --json}:
 * {@code {"event":"token","id":"3","data":{...}}}; {@code data} is parsed when it is JSON and a
 * string otherwise. Follows the WHATWG parsing rules: comments ignored, one optional space after
 * the colon, several {@code data} lines joined with a newline, a blank line ends an event.
 */
final class ServerSentEvents {

    private final PrintWriter out;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String event;
    private String id;

    ServerSentEvents(PrintWriter out) {
        this.out = out;
    }

    void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            case "id" -> id = value;
            default -> {
                // "retry" and unknown fields do not change what is printed
            }
        }
    }

    /** A stream that ends without a final blank line still delivers its last event. */
    void end() {
        dispatch();
    }

    private void dispatch() {
        if (hasData) {
            ObjectNode node = CrankJson.object();
            node.put("event", event == null ? "message" : event);
            if (id != null) {
                node.put("id", id);
            }
            node.set("data", parse(data.toString()));
            out.println(CrankJson.string(node));
        }
        data.setLength(0);
        hasData = false;
        event = null;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = CrankJson.read(text.getBytes(StandardCharsets.UTF_8));
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(text);
        }
    }
}
