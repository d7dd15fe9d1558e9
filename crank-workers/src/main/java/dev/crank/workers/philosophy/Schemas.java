package dev.crank.workers.philosophy;

/** The declared input and output JSON Schemas of {@code analyze:philosophy}. */
final class Schemas {

    private Schemas() {}

    static final String INPUT = """
            {
              "type": "object",
              "required": ["text"],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string",
                         "description": "English text; at least 50 characters after trimming (else 400 TEXT_TOO_SHORT) and at most 1 MiB of UTF-8 (else 413 TEXT_TOO_LARGE)"},
                "analysis_type": {"enum": ["dna_markers", "authenticity", "full_analysis"], "default": "full_analysis",
                                  "description": "dna_markers: scores and evidence; authenticity: authenticity, confidence, readiness and summary; full_analysis: everything"},
                "context": {
                  "type": "object",
                  "maxProperties": 32,
                  "description": "About the text; author and domain appear in the summary, nothing here changes a score",
                  "properties": {
                    "author": {"type": "string", "maxLength": 200},
                    "domain": {"type": "string", "maxLength": 200}
                  },
                  "additionalProperties": {"type": ["string", "number", "boolean", "null"], "maxLength": 1000}
                }
              }
            }
            """;

    static final String OUTPUT = """
            {
              "type": "object",
              "required": ["analysis_type", "word_count", "lexicon_version"],
              "additionalProperties": false,
              "properties": {
                "analysis_type": {"enum": ["dna_markers", "authenticity", "full_analysis"]},
                "word_count": {"type": "integer", "minimum": 0},
                "lexicon_version": {"type": "string"},
                "dna_markers": {
                  "type": "object",
                  "required": ["SHM", "TUD", "IIP", "AID", "DHG"],
                  "additionalProperties": false,
                  "properties": {
                    "SHM": {"$ref": "#/$defs/unit"}, "TUD": {"$ref": "#/$defs/unit"}, "IIP": {"$ref": "#/$defs/unit"},
                    "AID": {"$ref": "#/$defs/unit"}, "DHG": {"$ref": "#/$defs/unit"}
                  }
                },
                "secondary_themes": {
                  "type": "object",
                  "required": ["BIZ", "TECH", "COG", "STRAT"],
                  "additionalProperties": false,
                  "properties": {
                    "BIZ": {"$ref": "#/$defs/unit"}, "TECH": {"$ref": "#/$defs/unit"}, "COG": {"$ref": "#/$defs/unit"},
                    "STRAT": {"$ref": "#/$defs/unit"}
                  }
                },
                "authenticity_score": {"$ref": "#/$defs/unit"},
                "confidence": {"$ref": "#/$defs/unit"},
                "analysis_summary": {"type": "string"},
                "detected_patterns": {"type": "array", "items": {"type": "string"},
                                      "description": "CODE: lexicon entry, for each distinct entry found, in lexicon category order"},
                "match_counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                                 "description": "all matches per marker and theme code"},
                "evidence": {
                  "type": "object",
                  "description": "per marker and theme code, the first matches in text order (at most max_evidence_per_category)",
                  "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/evidence"}}
                },
                "readiness_thresholds": {
                  "type": "object",
                  "required": ["marker_presence", "authenticity", "confidence", "markers_required", "markers_present", "ready"],
                  "additionalProperties": false,
                  "properties": {
                    "marker_presence": {"$ref": "#/$defs/unit"},
                    "authenticity": {"$ref": "#/$defs/unit"},
                    "confidence": {"$ref": "#/$defs/unit"},
                    "markers_required": {"type": "integer", "minimum": 0},
                    "markers_present": {"type": "integer", "minimum": 0},
                    "ready": {"type": "boolean"}
                  }
                }
              },
              "allOf": [
                {"if": {"properties": {"analysis_type": {"const": "dna_markers"}}},
                 "then": {"required": ["dna_markers", "secondary_themes", "confidence", "detected_patterns", "match_counts", "evidence"]}},
                {"if": {"properties": {"analysis_type": {"const": "authenticity"}}},
                 "then": {"required": ["authenticity_score", "confidence", "readiness_thresholds", "analysis_summary"]}},
                {"if": {"properties": {"analysis_type": {"const": "full_analysis"}}},
                 "then": {"required": ["dna_markers", "secondary_themes", "authenticity_score", "analysis_summary", "confidence",
                                       "detected_patterns", "match_counts", "evidence", "readiness_thresholds"]}}
              ],
              "$defs": {
                "unit": {"type": "number", "minimum": 0, "maximum": 1},
                "evidence": {
                  "type": "object",
                  "required": ["term", "pattern", "start", "end"],
                  "additionalProperties": false,
                  "properties": {
                    "term": {"type": "string", "description": "the text as written: text.substring(start, end)"},
                    "pattern": {"type": "string", "description": "the lexicon entry it matched"},
                    "start": {"type": "integer", "minimum": 0, "description": "UTF-16 offset of the first character"},
                    "end": {"type": "integer", "minimum": 1, "description": "UTF-16 offset after the last character"}
                  }
                }
              }
            }
            """;
}
