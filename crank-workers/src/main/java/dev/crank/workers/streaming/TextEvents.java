package dev.crank.workers.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import dev.crank.core.ResponseStream;
import dev.crank.core.ServerSentEvent;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code stream:text_events}: sends a text as {@code chunk} events of whole words, paced by
 * {@code interval_ms}, then a {@code done} event with totals. Each chunk is written as soon as it is
 * cut; {@link ResponseStream#write} blocks while the client is slow, so nothing piles up in memory.
 * With {@code Accept: application/json} (and not {@code text/event-stream}) the chunks come back as
 * one JSON array, without pauses.
 */
final class TextEvents implements Handler {

    static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["content"],
              "additionalProperties": false,
              "properties": {
                "content": {"type": "string",
                            "description": "Text to stream, split into chunks of whole words on whitespace; may be empty"},
                "chunk_size": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100,
                               "description": "Words per chunk"},
                "interval_ms": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0,
                                "description": "Pause between two chunks of the event stream"}
              }
            }
            """;
    static final String OUTPUT_SCHEMA = """
            {
              "description": "With Accept: application/json, the array of chunks. Otherwise text/event-stream: one 'chunk' event per item (id = chunk_id, data = the item), then a 'done' event whose data is a 'done' object; an 'error' event with code SHUTTING_DOWN ends a stream cut short by a draining worker.",
              "type": "array",
              "items": {"$ref": "#/$defs/chunk"},
              "$defs": {
                "chunk": {
                  "type": "object",
                  "required": ["chunk_id", "content", "is_last", "timestamp"],
                  "additionalProperties": false,
                  "properties": {
                    "chunk_id": {"type": "integer", "minimum": 1},
                    "content": {"type": "string"},
                    "is_last": {"type": "boolean"},
                    "timestamp": {"type": "string", "format": "date-time"}
                  }
                },
                "done": {
                  "type": "object",
                  "required": ["total_chunks", "total_words", "chunk_size", "timestamp"],
                  "additionalProperties": false,
                  "properties": {
                    "total_chunks": {"type": "integer", "minimum": 0},
                    "total_words": {"type": "integer", "minimum": 0},
                    "chunk_size": {"type": "integer", "minimum": 1},
                    "timestamp": {"type": "string", "format": "date-time"}
                  }
                }
              }
            }
            """;

    private final Clock clock;
    private final StreamStats stats;
    private final Pacer pacer;

    TextEvents(Clock clock, StreamStats stats, Pacer pacer) {
        this.clock = clock;
        this.stats = stats;
        this.pacer = pacer;
    }

    @Override
    public CrankResponse handle(CrankRequest request) {
        JsonNode input = request.json();
        String content = input.get("content").asText();
        int chunkSize = input.path("chunk_size").asInt(100);
        Duration interval = Duration.ofMillis(input.path("interval_ms").asLong(0));
        if (request.accepts(CrankResponse.JSON) && !request.accepts(ServerSentEvent.MEDIA_TYPE)) {
            return CrankResponse.json(asArray(content, chunkSize));
        }
        return CrankResponse.stream(ServerSentEvent.MEDIA_TYPE, out -> stream(out, content, chunkSize, interval));
    }

    private ArrayNode asArray(String content, int chunkSize) {
        ArrayNode chunks = CrankJson.array();
        new TextChunker(content, chunkSize).forEachRemaining(chunk -> chunks.add(chunkJson(chunk)));
        return chunks;
    }

    private void stream(ResponseStream out, String content, int chunkSize, Duration interval) throws InterruptedException {
        stats.textStreamOpened();
        try {
            TextChunker chunks = new TextChunker(content, chunkSize);
            long totalChunks = 0;
            long totalWords = 0;
            while (chunks.hasNext()) {
                if (totalChunks > 0 && !interval.isZero()) {
                    Pacer.Outcome waited = pacer.pause(out, interval);
                    if (waited == Pacer.Outcome.CLIENT_LEFT) {
                        throw new ResponseStream.ClosedException();
                    }
                    if (waited == Pacer.Outcome.STOPPING) {
                        ObjectNode error = CrankJson.object().put("code", "SHUTTING_DOWN")
                                .put("detail", "The worker is shutting down; the stream ends after chunk " + totalChunks);
                        out.send(ServerSentEvent.json("error", error));
                        return;
                    }
                }
                TextChunker.Chunk chunk = chunks.next();
                out.send(ServerSentEvent.json("chunk", chunkJson(chunk)).withId(chunk.id()));
                stats.chunkProduced();
                totalChunks++;
                totalWords += chunk.words();
            }
            ObjectNode done = CrankJson.object()
                    .put("total_chunks", totalChunks)
                    .put("total_words", totalWords)
                    .put("chunk_size", chunkSize)
                    .put("timestamp", clock.instant().toString());
            out.send(ServerSentEvent.json("done", done));
        } finally {
            stats.textStreamClosed();
        }
    }

    private ObjectNode chunkJson(TextChunker.Chunk chunk) {
        return CrankJson.object()
                .put("chunk_id", chunk.id())
                .put("content", chunk.content())
                .put("is_last", chunk.last())
                .put("timestamp", clock.instant().toString());
    }
}
