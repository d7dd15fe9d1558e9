package dev.crank.workers.emailclassifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.workers.mail.Fixtures;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Clear cases for the rule- and lexicon-based types. */
class RuleClassifiersTest {

    private static EmailInput message(String headers, String body) {
        return EmailInput.of(Fixtures.message(headers, body), Optional.empty());
    }

    private static EmailInput body(String subject, String body) {
        return EmailInput.of(body, Optional.ofNullable(subject));
    }

    @Test
    void recognisesEachIntentOnAClearCase() {
        assertIntent(body("Your receipt from Blue Bottle", "Thank you for your order! Order number 88412. "
                + "Subtotal $18.00, order total $19.44. Amount paid by Visa ending 4242."), "receipt");
        assertIntent(body("Your October statement is ready", "Your bill is ready. Amount due: $82.10. "
                + "Due date: November 14. Please pay by the due date to avoid a past due fee."), "bill");
        assertIntent(message("From: Deals <deals@shop.example>\nList-Unsubscribe: <mailto:u@shop.example>\nPrecedence: bulk\n"
                + "Subject: 50% off everything this weekend", "Limited time offer! Shop now and get free shipping. "
                + "Unsubscribe here."), "marketing");
        assertIntent(body("Re: Ticket #4821 - login page not working", "We received your request. Our support team "
                + "is looking into the issue; your case number is 4821. Steps to reproduce would help."), "support");
        assertIntent(message("From: Anna <anna@example.org>\nTo: Mom <mom@example.org>\nSubject: Re: Sunday",
                "Hi Mom, happy birthday! Love you and miss you. See you at dinner on the weekend with the kids."), "personal");
        assertIntent(body("Q3 budget review - agenda", "Hi team, attached is the agenda for Thursday's meeting. "
                + "Please review the proposal and the quarterly report before the conference call. Best regards, Dana"), "business");
        assertIntent(message("From: Example Accounts <no-reply@accounts.example>\nSubject: Security alert",
                "New sign-in to your account from a new device. If this was you, you do not need to do anything. "
                        + "This is an automated message, do not reply."), "notification");
    }

    @Test
    void intentConfidenceGrowsWithEvidenceAndStaysLowWithout() {
        Classification strong = IntentClassifier.classify(body("Your receipt", "Thank you for your order. Order total $5. "
                + "Order number 1. Amount paid $5."));
        Classification weak = IntentClassifier.classify(body(null, "The receipt is somewhere."));
        Classification none = IntentClassifier.classify(body(null, "Lorem ipsum dolor sit amet."));

        assertThat(strong.confidence()).isGreaterThan(0.9);
        assertThat(weak.prediction()).isEqualTo("receipt");
        assertThat(weak.confidence()).isBetween(0.2, 0.5);
        assertThat(none.confidence()).isLessThan(0.25);
        assertThat(strong.details().get("scores").size()).isEqualTo(IntentClassifier.INTENTS.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Thank you so much, the new release is great and the team did an excellent job! | positive",
        "This is terrible. The update broke everything and support was rude and useless. | negative",
        "The meeting is on Tuesday at 10:00 in room 4. | neutral",
        "The service was not good and I am not happy with it. | negative",
        "I don't hate it. | positive"
    })
    void scoresSentimentOfClearCases(String text, String expected) {
        Classification result = SentimentAnalyzer.classify(body(null, text));

        assertThat(result.prediction()).isEqualTo(expected);
        assertThat(result.confidence()).isBetween(0.5, 1.0);
    }

    @Test
    void readsDeclaredPriorityAndUrgentWords() {
        assertPriority(message("From: a@example.org\nX-Priority: 1 (Highest)\nX-MSMail-Priority: High\nSubject: hello", "See attached."), "high");
        assertPriority(message("From: a@example.org\nImportance: low\nSubject: hello", "See attached."), "low");
        assertPriority(body("URGENT: server down", "Please respond as soon as possible, production is affected."), "high");
        assertPriority(message("From: news@example.org\nPrecedence: bulk\nList-Id: <news.example.org>\nSubject: Weekly digest",
                "This week's newsletter."), "low");
        assertPriority(body("Lunch", "Want to grab lunch tomorrow?"), "normal");

        Classification declared = PriorityClassifier.classify(message("From: a@example.org\nX-Priority: 1\nImportance: High\n"
                + "Subject: Action required", "Please reply immediately."));
        Classification plain = PriorityClassifier.classify(body("Lunch", "Want to grab lunch tomorrow?"));
        assertThat(declared.confidence()).isGreaterThan(0.9);
        assertThat(plain.confidence()).isEqualTo(0.75);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Thanks for sending the report. I will read it and get back to you with my comments by Friday. | en",
        "Hola Juan, gracias por el informe. Lo revisaré y te escribo cuando tenga tiempo para hablar de los resultados. | es",
        "Bonjour Marie, merci pour votre message. Je vous envoie le document dans la journée, c'est très important. | fr",
        "Hallo Peter, vielen Dank für die Nachricht. Ich habe die Unterlagen noch nicht bekommen, aber das ist kein Problem. | de",
        "Ciao Marco, grazie per il messaggio. Non ho ancora ricevuto il documento ma non è un problema. | it",
        "Olá Ana, obrigado pela mensagem. Ainda não recebi o documento, mas não é um problema para nós. | pt",
        "Hallo Jan, bedankt voor het bericht. Ik heb de documenten nog niet ontvangen, maar dat is geen probleem. | nl",
        "Здравствуйте, спасибо за письмо. Я ещё не получил документы, но это не проблема для нас. | ru",
        "Добрий день, дякую за лист. Я ще не отримав документи, але це не проблема для нас. | uk",
        "お世話になっております。資料をお送りいたしますので、ご確認のほどよろしくお願いいたします。 | ja",
        "您好，感谢您的来信。我们已经收到您的文件，会尽快处理并与您联系。 | zh",
        "안녕하세요. 보내주신 자료 잘 받았습니다. 확인 후 다시 연락드리겠습니다. | ko",
        "Καλησπέρα σας, ευχαριστώ για το μήνυμα. Θα σας στείλω τα έγγραφα αύριο. | el"
    })
    void detectsTheLanguageOfClearCases(String text, String expected) {
        Classification result = LanguageDetector.classify(body(null, text));

        assertThat(result.prediction()).isEqualTo(expected);
        assertThat(result.confidence()).isGreaterThan(0.5);
    }

    @Test
    void languageIsUndeterminedWithoutWords() {
        Classification result = LanguageDetector.classify(body(null, "12345 !!! 678 https://example.org/x"));

        assertThat(result.prediction()).isEqualTo(LanguageDetector.UNDETERMINED);
        assertThat(result.confidence()).isZero();
    }

    private static void assertIntent(EmailInput input, String expected) {
        Classification result = IntentClassifier.classify(input);
        assertThat(result.prediction()).as(result.details().toString()).isEqualTo(expected);
        assertThat(result.confidence()).isGreaterThan(0.5);
    }

    private static void assertPriority(EmailInput input, String expected) {
        Classification result = PriorityClassifier.classify(input);
        assertThat(result.prediction()).as(result.details().toString()).isEqualTo(expected);
    }
}
