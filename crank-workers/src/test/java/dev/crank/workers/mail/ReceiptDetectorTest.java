package dev.crank.workers.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-pass word matcher answers what the scan over the collapsed, lower-cased text answers. */
class ReceiptDetectorTest {

    private static final ReceiptDetector DEFAULT = ReceiptDetector.of(ParseOptions.DEFAULT_RECEIPT_KEYWORDS);

    @ParameterizedTest
    @ValueSource(strings = {
        "Your RECEIPT and Invoice", "order\n\n  confirmation", "order\u00a0confirmation", "order-confirmation",
        "bills and billing", "bill's total", "_bill total_", "Amount  Due: $5", "amount due2", "subtotal", "TOTAL.",
        "statement\tstatement", "purchase,transaction", "order confirmations", "payment\r\nconfirmation!", "",
        "   ", "\uD835\uDC00bill", "bill\uD835\uDC00", "Straße bill", "ÖRDER confirmation", "order", "confirmation order",
        "\u212Aeep the receipt", "amount\n", "order \u2003 confirmation"
    })
    void answersAsTheScanDoes(String text) {
        assertThat(DEFAULT.matches(text)).isEqualTo(DEFAULT.matchesByScan(text));
    }

    @Test
    void findsWholeWordsAndPhrasesAcrossWhitespace() {
        assertThat(DEFAULT.matches("Order\n  Confirmation: the TOTAL of your bill")).containsExactly("order confirmation",
                "bill", "total");
        assertThat(DEFAULT.matches("subtotal, billing, invoices")).isEmpty();
    }

    @Test
    void keywordsThatAreNotAsciiWordsMatchToo() {
        ReceiptDetector custom = ReceiptDetector.of(List.of("e-mail", "Rechnung", "quittance reçue"));

        assertThat(custom.matches("Ihre RECHNUNG per E-Mail, quittance\nreçue")).containsExactly("e-mail", "Rechnung",
                "quittance reçue");
    }

    @Test
    void answersAsTheScanDoesOnTheCorpusFixtures() {
        for (String name : List.of("easy-ham-1-00004", "easy-ham-1-00775", "easy-ham-1-02434", "easy-ham-2-00001",
                "easy-ham-2-00002", "spam-1-00001", "spam-2-00001", "spam-2-00002")) {
            ParsedEmail email = EmailParser.parse(Fixtures.corpus(name), ParseOptions.defaults());
            String text = email.subject().orElse("") + "\n" + email.bodyText();
            assertThat(DEFAULT.matches(text)).as(name).isEqualTo(DEFAULT.matchesByScan(text));
        }
    }
}
