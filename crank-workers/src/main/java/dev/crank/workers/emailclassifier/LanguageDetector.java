package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.Json;
import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code language}: ISO 639-1 codes from the writing system and, for Latin and Cyrillic text, from
 * how many of each language's most frequent function words occur. Scripts used by one language map to
 * it (Hangul: ko, kana: ja, Han alone: zh, Greek: el, Hebrew: he, Thai: th, ...). Confidence for
 * function-word decisions: {@code (top - second) / top x min(1, top / 8)}, floored at 0.2, so a clear
 * winner over eight or more hits nears 1 and a near tie stays low; for script decisions: the script's
 * share of letters x {@code min(1, letters / 20)}. No letters at all, or no function word, gives
 * {@code und} (undetermined) with confidence 0.
 */
final class LanguageDetector {

    static final String UNDETERMINED = "und";
    private static final int MAX_CHARS = 5_000;
    private static final Pattern NOISE = Pattern.compile("(?i)\\b(?:https?|ftp)://\\S+|\\bwww\\.\\S+|\\S+@\\S+");

    private static final Map<String, Set<String>> FUNCTION_WORDS = new LinkedHashMap<>();
    private static final Map<UnicodeScript, String> SINGLE_LANGUAGE_SCRIPTS = new EnumMap<>(UnicodeScript.class);

    static {
        latin("en", "the and of to in is you that it for was with on are this have be at not your we will from they "
                + "but or an by would can what all there if which their has been our about my me a i");
        latin("es", "el la de que y en los se del las por un para con no una su al es lo como más pero sus le ya o "
                + "este sí porque esta entre cuando muy sin sobre también me hasta hay donde desde nos usted gracias");
        latin("fr", "le la les de des et est en un une du que qui dans pour pas sur au avec ce il elle ne se plus par "
                + "je vous nous sont mais ou aux cette son sa ses été être très merci bonjour votre vos c'est j'ai");
        latin("de", "der die das und ist nicht ein eine zu den mit von sich des auf für im dem auch es an als wie wir "
                + "sie ich bei oder noch aus nach hat sind werden wird kann haben ihr ihre sehr danke bitte über aber");
        latin("it", "il di che e la per un una non sono del della in è con da al le dei gli si mi ma come anche questo "
                + "questa nel alla più ci ho ha lo cosa grazie molto sei siamo perché buongiorno");
        latin("pt", "o a de que e do da em um uma para é com não os as no na por mais se dos das ao mas foi ele ela "
                + "isso seu sua você muito obrigado são está também já pelo pela nós como quando");
        latin("nl", "de het een en van ik te dat die in is niet op zijn met voor er maar ook je wat om aan hij bij dan "
                + "nog naar uit worden wordt kan deze dit heeft hebben wij jullie bedankt graag");
        latin("sv", "och att det som en på är av för med till den har de inte om ett han men var jag sig från vi så "
                + "kan när nu ska hur efter också eller mycket tack hej vår ni här");
        latin("da", "og at det en den til er som på de med han af for ikke der var mig sig men et har om vi min havde "
                + "ham hun nu over da fra du ud sin dem os jeg også mange tak hej meget kan");
        latin("no", "og i det på som er en til å han av for ikke med har de at den var seg jeg men om et vi fra så "
                + "kan hun nå eller hva også mye takk hei dere ble blir noe ingen");
        latin("fi", "ja on ei se että hän oli ole olla mutta kun niin tai joka mitä ovat myös kuin jos minä sinä me "
                + "te he tämä nyt vain kiitos hei voi kanssa sitten jo mikä koska");
        latin("pl", "i w nie na się z do to że jest o jak ale po co tak za od już tylko jego jej czy bardzo być przez "
                + "dla mnie ten ta są było jestem dziękuję proszę pan pani");
        latin("tr", "ve bir bu da de için ile çok ne daha gibi ama olarak var yok ben sen biz siz o mi mı en kadar "
                + "sonra şey teşekkür merhaba değil olan her ya veya");
        latin("ro", "și în de la cu pe un o este nu care că din pentru să mai se ce sunt fost lui ei acest această "
                + "dar sau vă mulțumesc bună");
        latin("id", "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya anda kami ke ada bisa atau "
                + "sudah karena oleh terima kasih");
        // Russian and Ukrainian share many short words (в, не, на, я, за, для...): only the ones that tell them apart
        latin("ru", "и что тот быть с он а как это но они к ты из мы же от все она о его мне было вот только ещё "
                + "спасибо здравствуйте меня если уже или нет очень когда был была этот");
        latin("uk", "і що з та як це він але ви ми від його вже є був була дякую щоб який яка також ще мене добрий "
                + "будь ласка дуже коли тому ні її їх цей ця ці якщо або чи немає");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.HANGUL, "ko");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GREEK, "el");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.HEBREW, "he");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.THAI, "th");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.DEVANAGARI, "hi");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.GEORGIAN, "ka");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.ARMENIAN, "hy");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.BENGALI, "bn");
        SINGLE_LANGUAGE_SCRIPTS.put(UnicodeScript.TAMIL, "ta");
    }

    private LanguageDetector() {}

    private static void latin(String language, String words) {
        FUNCTION_WORDS.put(language, Set.of(words.split(" ")));
    }

    static Classification classify(EmailInput input) {
        String text = NOISE.matcher(input.text().length() > MAX_CHARS ? input.text().substring(0, MAX_CHARS) : input.text())
                .replaceAll(" ");
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
            return result(UNDETERMINED, 0, Json.object().put("algorithm", "script_and_function_words").put("letters", 0));
        }
        UnicodeScript dominant = scripts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int kana = scripts.getOrDefault(UnicodeScript.HIRAGANA, 0) + scripts.getOrDefault(UnicodeScript.KATAKANA, 0);
        int han = scripts.getOrDefault(UnicodeScript.HAN, 0);
        double scriptConfidence;
        String language;
        if (dominant == UnicodeScript.HAN || dominant == UnicodeScript.HIRAGANA || dominant == UnicodeScript.KATAKANA) {
            language = kana * 10 >= kana + han ? "ja" : "zh";
            scriptConfidence = (kana + han) / (double) letters * Math.min(1, letters / 20.0);
        } else if (dominant == UnicodeScript.ARABIC) {
            language = text.codePoints().anyMatch(c -> c == 'پ' || c == 'چ' || c == 'ژ' || c == 'گ') ? "fa" : "ar";
            scriptConfidence = scripts.get(dominant) / (double) letters * Math.min(1, letters / 20.0);
        } else if (SINGLE_LANGUAGE_SCRIPTS.containsKey(dominant)) {
            language = SINGLE_LANGUAGE_SCRIPTS.get(dominant);
            scriptConfidence = scripts.get(dominant) / (double) letters * Math.min(1, letters / 20.0);
        } else {
            return byFunctionWords(text, dominant);
        }
        ObjectNode details = Json.object().put("algorithm", "unicode_script").put("script", dominant.name().toLowerCase(Locale.ROOT))
                .put("letters", letters);
        return result(language, scriptConfidence, details);
    }

    private static Classification byFunctionWords(String text, UnicodeScript script) {
        List<String> tokens = SentimentAnalyzer.tokens(text);
        Map<String, Integer> hits = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> language : FUNCTION_WORDS.entrySet()) {
            int count = 0;
            for (String token : tokens) {
                if (language.getValue().contains(token)) {
                    count++;
                }
            }
            hits.put(language.getKey(), count);
        }
        if (script == UnicodeScript.CYRILLIC) { // letters only one of the two uses
            hits.merge("uk", (int) text.codePoints().filter(c -> c == 'і' || c == 'ї' || c == 'є' || c == 'ґ').count(), Integer::sum);
            hits.merge("ru", (int) text.codePoints().filter(c -> c == 'ы' || c == 'э' || c == 'ъ' || c == 'ё').count(), Integer::sum);
        }
        List<Map.Entry<String, Integer>> ranked = hits.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList();
        int top = ranked.get(0).getValue();
        int second = ranked.get(1).getValue();
        ObjectNode details = Json.object().put("algorithm", "script_and_function_words")
                .put("script", script.name().toLowerCase(Locale.ROOT)).put("tokens", tokens.size());
        ObjectNode counts = details.putObject("function_word_hits");
        ranked.stream().limit(3).forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        if (top == 0) {
            return result(UNDETERMINED, 0, details);
        }
        double confidence = Math.max(0.2, (top - second) / (double) top * Math.min(1, top / 8.0));
        return result(ranked.get(0).getKey(), confidence, details);
    }

    private static Classification result(String language, double confidence, ObjectNode details) {
        return new Classification(ClassificationType.LANGUAGE.wireName(), language, Math.min(1, Math.max(0, confidence)), details);
    }
}
