package dev.crank.workers.emailparser;

/** The JSON Schemas (draft 2020-12) of {@code parse:email_headers}. */
final class EmailParserSchemas {

    static final String INPUT = """
            {
              "type": "object",
              "additionalProperties": false,
              "description": "Exactly one of raw_email, raw_email_base64, mbox, mbox_base64",
              "properties": {
                "raw_email": {"type": "string", "minLength": 1, "description": "One RFC 5322 message as text"},
                "raw_email_base64": {"type": "string", "minLength": 1, "description": "One message as base64 (keeps 8-bit bytes)"},
                "mbox": {"type": "string", "minLength": 1, "description": "An mbox: messages each opened by a 'From ' line"},
                "mbox_base64": {"type": "string", "minLength": 1, "description": "An mbox as base64"},
                "include_body": {"type": "boolean", "default": true},
                "snippet_length": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 200},
                "keywords": {
                  "type": "array", "maxItems": 100,
                  "items": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\\\S"},
                  "description": "Receipt keywords (whole words, any case); replaces the default list"
                }
              },
              "oneOf": [
                {"required": ["raw_email"]},
                {"required": ["raw_email_base64"]},
                {"required": ["mbox"]},
                {"required": ["mbox_base64"]}
              ]
            }
            """;

    private static final String ADDRESS = """
            {"type": "object", "required": ["name", "address"],
             "properties": {"name": {"type": ["string", "null"]}, "address": {"type": "string"}}}
            """;

    private static final String MESSAGE = """
            {
              "type": "object",
              "required": ["message_id", "subject", "from", "to", "cc", "reply_to", "date", "date_raw", "headers",
                           "received", "authentication", "list_unsubscribe", "content_type", "body_text",
                           "body_snippet", "attachments", "receipt", "defects", "size_bytes"],
              "properties": {
                "message_id": {"type": ["string", "null"]},
                "subject": {"type": ["string", "null"]},
                "from": {"oneOf": [%1$s, {"type": "null"}]},
                "to": {"type": "array", "items": %1$s},
                "cc": {"type": "array", "items": %1$s},
                "reply_to": {"type": "array", "items": %1$s},
                "date": {"type": ["string", "null"], "description": "ISO-8601 UTC"},
                "date_raw": {"type": ["string", "null"]},
                "headers": {"type": "array", "items": {"type": "object", "required": ["name", "value"],
                            "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}},
                "received": {"type": "array", "items": {"type": "object",
                  "required": ["from", "by", "with", "id", "for", "timestamp", "delay_seconds"],
                  "properties": {
                    "from": {"type": ["string", "null"]}, "by": {"type": ["string", "null"]},
                    "with": {"type": ["string", "null"]}, "id": {"type": ["string", "null"]},
                    "for": {"type": ["string", "null"]}, "timestamp": {"type": ["string", "null"]},
                    "delay_seconds": {"type": ["integer", "null"],
                                      "description": "seconds since the hop below (the previous one); null for the first"}
                  }}},
                "authentication": {"type": "object", "required": ["spf", "dkim", "dmarc"],
                  "properties": {"spf": {"type": ["string", "null"]}, "dkim": {"type": ["string", "null"]},
                                 "dmarc": {"type": ["string", "null"]}}},
                "list_unsubscribe": {"type": "array", "items": {"type": "string"}},
                "content_type": {"type": "string"},
                "body_text": {"type": ["string", "null"], "description": "null when include_body is false"},
                "body_snippet": {"type": ["string", "null"]},
                "attachments": {"type": "array", "items": {"type": "object",
                  "required": ["filename", "content_type", "size_bytes", "sha256"],
                  "properties": {"filename": {"type": ["string", "null"]}, "content_type": {"type": "string"},
                                 "size_bytes": {"type": "integer", "minimum": 0},
                                 "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}},
                "receipt": {"type": "object", "required": ["is_receipt", "matched_keywords"],
                  "properties": {"is_receipt": {"type": "boolean"},
                                 "matched_keywords": {"type": "array", "items": {"type": "string"}}}},
                "defects": {"type": "array", "items": {"type": "string"}},
                "size_bytes": {"type": "integer", "minimum": 0},
                "processing_time_ms": {"type": "number", "minimum": 0}
              }
            }
            """.formatted(ADDRESS);

    /** One message object; an mbox gives an array of them (or one per NDJSON line). */
    static final String OUTPUT = """
            {"oneOf": [%1$s, {"type": "array", "items": %1$s}]}
            """.formatted(MESSAGE);

    private EmailParserSchemas() {}
}
