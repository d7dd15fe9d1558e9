package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * {@code language}: Apache OpenNLP's language detector ({@code langdetect-183.bin}, 103 languages,
 * from the {@code opennlp-models-langdetect} jar), answered in ISO 639-1 where the language has such
 * a code (else the model's ISO 639-3 code). The model's own probabilities are very flat (a clear English
 * sentence gets about 0.06 out of 103 languages), so they are sharpened with one exponent,
 * {@code p_i^k / sum_j p_j^k} ({@link #SHARPNESS}, fitted by {@code LanguageCalibration} on a labelled
 * set of its own), which makes them calibrated probabilities. A top probability under
 * {@link #MIN_CONFIDENCE} answers {@code und} (undetermined) with confidence 0; the top three candidates
 * are always in {@code details.alternatives}.
 *
 * <p>The writing system decides where it alone is reliable: Han, kana and Hangul (zh, ja, ko: the
 * model's n-grams over a few ideographs are weak), and very short text (under {@value #SHORT_TEXT_LETTERS}
 * letters, or at most {@value #SHORT_TEXT_WORDS} words): a script that one language uses names it (Greek el,
 * Hebrew he, Thai th, Georgian ka, Armenian hy, ...), one that many share (Latin, Cyrillic, Arabic,
 * Devanagari) gives {@code und}, since on a labelled set a quarter of the model's confident answers on such
 * text were wrong; its guesses are still in {@code details.alternatives}. A script decision's confidence is
 * the script's share of letters x {@code min(1, letters / 20)}. No letters at all gives {@code und} with
 * confidence 0.
 */
final class LanguageDetector {

    static final String UNDETERMINED = "und";
    /** The exponent that calibrates the model's probabilities (see {@code LanguageCalibration}). */
    static final double SHARPNESS = 28;
    /** At most this many words is short text, whatever its letters. */
    static final int SHORT_TEXT_WORDS = 3;
    static final double MIN_CONFIDENCE = 0.5;
    static final int SHORT_TEXT_LETTERS = 20;
    private static final int MAX_CHARS = 5_000;
    private static final String MODEL_RESOURCE = "langdetect-183.bin";
    private static final Pattern NOISE = Pattern.compile("(?i)\\b(?:https?|ftp)://\\S+|\\bwww\\.\\S+|\\S+@\\S+");

    private static final Map<UnicodeScript, String> SINGLE_LANGUAGE_SCRIPTS = new EnumMap<>(UnicodeScript.class);
    /** ISO 639-3 (and 639-2/T) to 639-1, plus the model's individual languages to their macrolanguage's code. */
    private static final Map<String, String> ISO_639_1 = new HashMap<>();

    static {
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GREEK, "el");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.HEBREW, "he");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.THAI, "th");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GEORGIAN, "ka");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.ARMENIAN, "hy");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.TAMIL, "ta");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.TELUGU, "te");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.KANNADA, "kn");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.MALAYALAM, "ml");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GUJARATI, "gu");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GURMUKHI, "pa");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.SINHALA, "si");
        for (String iso1 : Locale.getISOLanguages()) {
            Locale locale = Locale.forLanguageTag(iso1);
            ISO_639_1.put(locale.getISO3Language(), locale.getLanguage()); // getLanguage: he, id, yi (not iw, in, ji)
        }
        ISO_639_1.put("cmn", "zh"); // Mandarin
        ISO_639_1.put("pes", "fa"); // Iranian Persian
        ISO_639_1.put("lvs", "lv"); // Standard Latvian
        ISO_639_1.put("ekk", "et"); // Standard Estonian
        ISO_639_1.put("plt", "mg"); // Plateau Malagasy
    }

    private LanguageDetector() {}

    /** Loads the model now (it takes a second), so the first request does not wait for it. */
    static void load() {
        Model.DETECTOR.get();
    }

    static Classification classify(EmailInput input) {
        return classify(input.text());
    }

    static Classification classify(String rawText) {
        String text = NOISE.matcher(rawText.length() > MAX_CHARS ? rawText.substring(0, MAX_CHARS) : rawText).replaceAll(" ");
        Map<UnicodeScript, Integer> scripts = new EnumMap<>(UnicodeScript.class);
        int letters = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isLetter(codePoint)) {
                letters++;
                scripts.merge(UnicodeScript.of(codePoint), 1, Integer::sum);
            }
        }
        if (letters == 0) {
            return result(UNDETERMINED, 0, CrankJson.object().put("algorithm", "unicode_script").put("letters", 0));
        }
        UnicodeScript dominant = scripts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int kana = scripts.getOrDefault(UnicodeScript.HIRAGANA, 0) + scripts.getOrDefault(UnicodeScript.KATAKANA, 0);
        int han = scripts.getOrDefault(UnicodeScript.HAN, 0);
        String language;
        int scriptLetters;
        if (dominant == UnicodeScript.HAN || dominant == UnicodeScript.HIRAGANA || dominant == UnicodeScript.KATAKANA) {
            language = kana * 10 >= kana + han ? "ja" : "zh";
            scriptLetters = kana + han;
        } else if (dominant == UnicodeScript.HANGUL) {
            language = "ko";
            scriptLetters = scripts.get(dominant);
        } else if (!isShort(text, letters)) {
            return byModel(text, dominant, letters);
        } else if (SINGLE_LANGUAGE_SCRIPTS.containsKey(dominant)) {
            language = SINGLE_LANGUAGE_SCRIPTS.get(dominant);
            scriptLetters = scripts.get(dominant);
        } else { // a few words of a script many languages share: the model guesses, often confidently and wrong
            Classification guess = byModel(text, dominant, letters);
            guess.details().put("algorithm", "unicode_script").put("short_text", true);
            return result(UNDETERMINED, 0, guess.details());
        }
        double confidence = scriptLetters / (double) letters * Math.min(1, letters / 20.0);
        ObjectNode details = CrankJson.object().put("algorithm", "unicode_script")
                .put("script", dominant.name().toLowerCase(Locale.ROOT)).put("letters", letters);
        details.putArray("alternatives").addObject().put("language", language).put("confidence", Classification.round(confidence));
        return result(language, confidence, details);
    }

    private static boolean isShort(String text, int letters) {
        return letters < SHORT_TEXT_LETTERS || text.strip().split("\\s+").length <= SHORT_TEXT_WORDS;
    }

    private static Classification byModel(String text, UnicodeScript script, int letters) {
        List<Map.Entry<String, Double>> ranked = calibrated(Model.DETECTOR.get().predictLanguages(text), SHARPNESS);
        ObjectNode details = CrankJson.object().put("algorithm", "opennlp_langdetect")
                .put("model", "langdetect-183")
                .put("script", script.name().toLowerCase(Locale.ROOT))
                .put("letters", letters);
        ArrayNode alternatives = details.putArray("alternatives");
        ranked.stream().limit(3).forEach(entry -> alternatives.addObject()
                .put("language", entry.getKey()).put("confidence", Classification.round(entry.getValue())));
        Map.Entry<String, Double> top = ranked.get(0);
        if (top.getValue() < MIN_CONFIDENCE) {
            return result(UNDETERMINED, 0, details);
        }
        return result(top.getKey(), top.getValue(), details);
    }

    /** The model's answer in ISO 639-1 codes (the larger where two map to one code), sharpened and ranked. */
    static List<Map.Entry<String, Double>> calibrated(Language[] languages, double sharpness) {
        Map<String, Double> merged = new LinkedHashMap<>();
        for (Language language : languages) {
            merged.merge(iso6391(language.getLang()), language.getConfidence(), Math::max); // not the sum: two codes are no evidence
        }
        double max = merged.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double total = 0;
        for (Map.Entry<String, Double> entry : merged.entrySet()) {
            entry.setValue(Math.pow(entry.getValue() / max, sharpness)); // divided by max first: no underflow
            total += entry.getValue();
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, Double> entry : merged.entrySet()) {
            ranked.add(Map.entry(entry.getKey(), entry.getValue() / total));
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranked;
    }

    /** The model's raw answer (for calibration). */
    static Language[] raw(String text) {
        return Model.DETECTOR.get().predictLanguages(text);
    }

    static String iso6391(String iso6393) {
        return ISO_639_1.getOrDefault(iso6393, iso6393);
    }

    private static Classification result(String language, double confidence, ObjectNode details) {
        return new Classification(ClassificationType.LANGUAGE.wireName(), language, Math.min(1, Math.max(0, confidence)), details);
    }

    /** The model, loaded once; a detector per thread over it (the model is immutable, the detector need not be). */
    private static final class Model {

        private static final LanguageDetectorModel MODEL = read();
        static final ThreadLocal<LanguageDetectorME> DETECTOR = ThreadLocal.withInitial(() -> new LanguageDetectorME(MODEL));

        private static LanguageDetectorModel read() {
            try (InputStream in = LanguageDetector.class.getClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(MODEL_RESOURCE + " is not on the class path (opennlp-models-langdetect)");
                }
                return new LanguageDetectorModel(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + MODEL_RESOURCE, e);
            }
        }
    }
}
