package dev.crank.workers.emailclassifier;

/** The JSON Schemas (draft 2020-12) of {@code classify:email_intent}. */
final class ClassifierSchemas {

    static final String INPUT = """
            {
              "type": "object",
              "required": ["email_content"],
              "additionalProperties": false,
              "properties": {
                "email_content": {"type": "string", "minLength": 1, "pattern": "\\\\S",
                                  "description": "A raw RFC 5322 message, or a plain body"},
                "subject": {"type": "string", "maxLength": 10000,
                            "description": "Used instead of the message's own Subject"},
                "classification_types": {
                  "type": "array", "minItems": 1, "uniqueItems": true,
                  "items": {"enum": ["spam_detection", "intent", "sentiment", "priority", "language"]},
                  "description": "Default: all, in this order"
                }
              }
            }
            """;

    static final String OUTPUT = """
            {
              "type": "object",
              "required": ["results", "input_kind", "processing_time_ms"],
              "properties": {
                "results": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["classification_type", "prediction", "confidence", "details"],
                    "properties": {
                      "classification_type": {"enum": ["spam_detection", "intent", "sentiment", "priority", "language"]},
                      "prediction": {"type": "string"},
                      "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                      "details": {"type": "object", "required": ["algorithm"],
                                  "properties": {
                                    "algorithm": {"type": "string"},
                                    "compound": {"type": "number", "minimum": -1, "maximum": 1,
                                                 "description": "sentiment: VADER's compound score"},
                                    "alternatives": {
                                      "type": "array", "maxItems": 3,
                                      "description": "language: the top candidates, best first",
                                      "items": {"type": "object", "required": ["language", "confidence"],
                                                "properties": {"language": {"type": "string"},
                                                               "confidence": {"type": "number", "minimum": 0, "maximum": 1}}}
                                    }
                                  }}
                    }
                  }
                },
                "input_kind": {"enum": ["rfc5322", "plain_text"]},
                "processing_time_ms": {"type": "number", "minimum": 0}
              }
            }
            """;

    private ClassifierSchemas() {}
}
