package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Which workers may provide which capabilities ({@code --policy} / {@code CONTROLLER_POLICY}). Without
 * a policy any worker with a platform certificate may offer anything. With one, a capability
 * {@code verb:name} may be registered only by a worker id that a rule for it lists; a capability no rule
 * matches is refused. Patterns are exact strings where {@code *} matches any run of characters:
 *
 * <pre>{@code
 * {"rules": [
 *   {"capabilities": ["greet:*"], "workers": ["crank-hello-world"]},
 *   {"capabilities": ["classify:image_category"], "workers": ["crank-image-classifier", "crank-image-classifier-gpu"]}
 * ]}
 * }</pre>
 */
public final class CapabilityPolicy {

    private record Rule(List<Pattern> capabilities, List<Pattern> workers) {}

    private static final CapabilityPolicy OPEN = new CapabilityPolicy(null);

    private final List<Rule> rules;

    private CapabilityPolicy(List<Rule> rules) {
        this.rules = rules;
    }

    /** Every worker may offer every capability. */
    public static CapabilityPolicy open() {
        return OPEN;
    }

    /** Reads a policy file; a file that is not a valid policy is an {@link IllegalArgumentException} naming the problem. */
    public static CapabilityPolicy load(Path file) {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capability policy " + file, e);
        }
        JsonNode root;
        try {
            root = CrankJson.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("capability policy " + file + ": not JSON (" + e.getMessage() + ")");
        }
        return parse(root, file.toString());
    }

    static CapabilityPolicy parse(JsonNode root, String source) {
        JsonNode rulesNode = root.path("rules");
        if (!rulesNode.isArray()) {
            throw new IllegalArgumentException("capability policy " + source + ": expected {\"rules\": [...]}");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            JsonNode rule = rulesNode.get(i);
            String at = "capability policy " + source + ", rules[" + i + "]";
            rules.add(new Rule(patterns(rule.path("capabilities"), at + ".capabilities"), patterns(rule.path("workers"), at + ".workers")));
        }
        return new CapabilityPolicy(List.copyOf(rules));
    }

    /** 403 {@code CAPABILITY_NOT_ALLOWED} unless {@code workerId} may provide {@code capability}. */
    void check(String workerId, String capability) {
        if (rules == null) {
            return;
        }
        for (Rule rule : rules) {
            if (matchesAny(rule.capabilities(), capability) && matchesAny(rule.workers(), workerId)) {
                return;
            }
        }
        throw new CrankException(403, "CAPABILITY_NOT_ALLOWED", "The controller's policy does not allow worker " + workerId
                + " to provide " + capability);
    }

    boolean isOpen() {
        return rules == null;
    }

    private static boolean matchesAny(List<Pattern> patterns, String value) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> patterns(JsonNode node, String at) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(at + ": expected a non-empty array of patterns");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw new IllegalArgumentException(at + ": " + item + " (expected: a non-empty string)");
            }
            patterns.add(glob(item.asText()));
        }
        return List.copyOf(patterns);
    }

    /** {@code *} is the only wildcard; everything else is literal. */
    private static Pattern glob(String text) {
        StringJoiner regex = new StringJoiner(".*");
        for (String part : text.split("\\*", -1)) {
            regex.add(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
