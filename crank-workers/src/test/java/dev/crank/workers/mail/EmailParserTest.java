package dev.crank.workers.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.workers.mail.ParsedEmail.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmailParserTest {

    private static ParsedEmail parse(byte[] raw) {
        return EmailParser.parse(raw, ParseOptions.defaults());
    }

    private static ParsedEmail parse(String raw) {
        return parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsHeadersAddressesDateAndReceivedPathOfACorpusMessage() {
        ParsedEmail email = parse(Fixtures.corpus("easy-ham-2-00001"));

        assertThat(email.messageId()).contains("9627.1029933001@munnari.OZ.AU");
        assertThat(email.subject()).contains("Re: New Sequences Window");
        assertThat(email.from()).contains(new EmailAddress(Optional.of("Robert Elz"), "kre@munnari.OZ.AU"));
        assertThat(email.to()).containsExactly(new EmailAddress(Optional.of("Chris Garrigues"), "cwg-dated-1030314468.7c7c85@DeepEddy.Com"));
        assertThat(email.cc()).extracting(EmailAddress::address).containsExactly("exmh-workers@spamassassin.taint.org");
        assertThat(email.date()).contains(Instant.parse("2002-08-21T12:30:01Z"));
        assertThat(email.dateRaw()).contains("Wed, 21 Aug 2002 19:30:01 +0700");
        assertThat(email.headers().get(0)).isEqualTo(new ParsedEmail.HeaderField("Return-Path", "<exmh-workers-admin@spamassassin.taint.org>"));
        assertThat(email.headers()).extracting(ParsedEmail.HeaderField::name).containsSubsequence("Received", "From", "To", "Cc", "Subject", "Date");
        assertThat(email.listUnsubscribe()).containsExactly("https://listman.spamassassin.taint.org/mailman/listinfo/exmh-workers",
                "mailto:exmh-workers-request@redhat.com?subject=unsubscribe");
        assertThat(email.contentType()).isEqualTo("text/plain");
        assertThat(email.bodyText()).startsWith("Date:        Tue, 20 Aug 2002 17:27:47 -0500");
        assertThat(email.defects()).isEmpty();

        List<ReceivedHop> hops = email.received();
        assertThat(hops).hasSize(10);
        ReceivedHop newest = hops.get(0);
        assertThat(newest.from()).contains("localhost (localhost [127.0.0.1])");
        assertThat(newest.by()).contains("phobos.labs.netnoteinc.com (Postfix)");
        assertThat(newest.with()).contains("ESMTP");
        assertThat(newest.id()).contains("7106643C34");
        assertThat(newest.forRecipient()).contains("<jm@localhost>");
        assertThat(newest.timestamp()).contains(Instant.parse("2002-08-21T12:33:03Z"));
        assertThat(newest.delaySeconds()).contains(0L); // 08:33:03 -0400 after 13:33:03 +0100
        assertThat(hops.get(1).with()).contains("IMAP (fetchmail-5.9.0)");
        assertThat(hops.get(1).delaySeconds()).contains(-54L); // the relays' clocks disagree
        ReceivedHop noFromClause = hops.get(5);
        assertThat(noFromClause.from()).isEmpty();
        assertThat(noFromClause.by()).contains("int-mx1.corp.spamassassin.taint.org (8.11.6/8.11.6)");
        assertThat(noFromClause.id()).contains("g7LCUqx17585");
        ReceivedHop oldest = hops.get(9);
        assertThat(oldest.timestamp()).contains(Instant.parse("2002-08-21T12:30:01Z"));
        assertThat(oldest.delaySeconds()).isEmpty();
        assertThat(hops.get(8).delaySeconds()).contains(18L); // 19:30:19 +0700 after 19:30:01 +0700
    }

    @Test
    void decodesAnRfc2047Subject() {
        ParsedEmail email = parse(Fixtures.corpus("easy-ham-1-02434"));

        assertThat(email.subject()).contains("Re: RE: [zzzzteana] Sitting Bull über alles [Long]");
    }

    @Test
    void listsTheAttachmentOfAMultipartMessage() {
        ParsedEmail email = parse(Fixtures.corpus("easy-ham-1-00775"));

        assertThat(email.contentType()).isEqualTo("multipart/mixed");
        assertThat(email.attachments()).hasSize(1);
        ParsedEmail.Attachment attachment = email.attachments().get(0);
        assertThat(attachment.filename()).isPresent();
        assertThat(attachment.contentType()).isEqualTo("application/octet-stream");
        assertThat(attachment.sizeBytes()).isPositive();
        assertThat(attachment.sha256()).matches("[0-9a-f]{64}");
        assertThat(email.bodyText()).isNotBlank().doesNotContain("Content-Disposition");
    }

    @Test
    void reportsDefectsAndStillParses() {
        ParsedEmail badQuotedPrintable = parse(Fixtures.corpus("spam-1-00001"));
        assertThat(badQuotedPrintable.defects()).anyMatch(d -> d.startsWith("quoted-printable: Found non-standard soft line break"));
        assertThat(badQuotedPrintable.bodyText()).contains("Life Insurance");

        ParsedEmail unsignedZone = parse(Fixtures.corpus("spam-2-00001"));
        assertThat(unsignedZone.defects()).contains("Date: ignored '0530' after the date");
        assertThat(unsignedZone.date()).contains(Instant.parse("2002-08-02T23:37:59Z"));

        ParsedEmail oddTimestamp = parse(Fixtures.corpus("easy-ham-2-00002"));
        assertThat(oddTimestamp.defects()).contains("Received: unparseable timestamp '21/08/2002 10:15:21'");
        assertThat(oddTimestamp.received()).anyMatch(hop -> hop.timestamp().isEmpty());
    }

    @Test
    void anEmptyGroupIsNotADefect() {
        ParsedEmail email = parse(Fixtures.corpus("easy-ham-1-00004"));

        assertThat(email.to()).isEmpty();
        assertThat(email.defects()).isEmpty();
    }

    @Test
    void turnsHtmlIntoTextWhenThereIsNoPlainPart() {
        ParsedEmail email = parse(Fixtures.corpus("spam-2-00002"));

        assertThat(email.textSource()).isEqualTo("text/html");
        assertThat(email.bodyText()).contains("The Need For Safety Is Real In 2002").doesNotContain("<font", "<b>");
        assertThat(email.bodyHtml()).hasValueSatisfying(html -> assertThat(html).contains("<font"));
        assertThat(email.defects()).isEmpty(); // charset "DEFAULT" is a Java alias of US-ASCII
    }

    @Test
    void readsAModernMessage() {
        byte[] pdf = "%PDF-1.4 not really a pdf\n".getBytes(StandardCharsets.US_ASCII);
        String raw = Fixtures.message("""
                Authentication-Results: mx.example.net; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=shop.example;
                 dkim=pass header.d=shop.example; dmarc=fail (p=NONE) header.from=shop.example
                Received-SPF: Softfail (mx.example.net: domain of transitioning shop.example)
                From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <jorg@shop.example>
                To: "Ann" <ann@example.org>, bob@example.org
                Reply-To: support@shop.example
                Subject: =?UTF-8?Q?Your_order_confirmation_=E2=9C=93?=
                Date: Mon, 3 Mar 2025 09:15:00 +0100
                Message-ID: <abc.123@shop.example>
                List-Unsubscribe: <mailto:unsub@shop.example?subject=u>, <https://shop.example/u/123>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="outer"
                """, """
                --outer
                Content-Type: multipart/alternative; boundary="inner"

                --inner
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Thanks J=C3=B6rg! Your total is 12,00 =E2=82=AC.
                --inner
                Content-Type: text/html; charset=utf-8

                <p>Thanks!</p>
                --inner--
                --outer
                Content-Type: application/pdf; name="invoice.pdf"
                Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf
                Content-Transfer-Encoding: base64

                PDF
                --outer--
                """.replace("PDF", Base64.getMimeEncoder().encodeToString(pdf)));

        ParsedEmail email = parse(raw);

        assertThat(email.from()).contains(new EmailAddress(Optional.of("Jörg Müller"), "jorg@shop.example"));
        assertThat(email.to()).containsExactly(new EmailAddress(Optional.of("Ann"), "ann@example.org"),
                new EmailAddress(Optional.empty(), "bob@example.org"));
        assertThat(email.replyTo()).extracting(EmailAddress::address).containsExactly("support@shop.example");
        assertThat(email.subject()).contains("Your order confirmation ✓");
        assertThat(email.header("From")).contains("Jörg Müller <jorg@shop.example>");
        assertThat(email.authentication()).isEqualTo(new Authentication(Optional.of("pass"), Optional.of("pass"), Optional.of("fail")));
        assertThat(email.listUnsubscribe()).containsExactly("mailto:unsub@shop.example?subject=u", "https://shop.example/u/123");
        assertThat(email.bodyText()).isEqualTo("Thanks Jörg! Your total is 12,00 €.");
        assertThat(email.textSource()).isEqualTo("text/plain");
        assertThat(email.attachments()).containsExactly(new ParsedEmail.Attachment(Optional.of("Rechnung März.pdf"),
                "application/pdf", pdf.length, sha256(pdf)));
        assertThat(email.receipt().isReceipt()).isTrue();
        assertThat(email.receipt().matchedKeywords()).containsExactly("order confirmation", "total");
        assertThat(email.defects()).isEmpty();
    }

    @Test
    void takesSpfFromReceivedSpfWhenAuthenticationResultsHaveNone() {
        ParsedEmail email = parse(Fixtures.message("""
                Received-SPF: Neutral (mx.example.net: 192.0.2.7 is neither permitted nor denied)
                From: a@example.org
                Subject: hi
                """, "hello\n"));

        assertThat(email.authentication().spf()).contains("neutral");
        assertThat(email.authentication().dkim()).isEmpty();
        assertThat(email.authentication().dmarc()).isEmpty();
    }

    @Test
    void matchesReceiptKeywordsAsWholeWordsInAnyCase() {
        String body = "Totally unrelated: the billboard lists our ORDER\n  CONFIRMATION and the Amount   Due.";
        ParsedEmail email = parse(Fixtures.message("From: a@example.org\nSubject: Statements", body));

        assertThat(email.receipt().matchedKeywords()).containsExactly("order confirmation", "amount due");

        ParseOptions custom = new ParseOptions(true, 200, List.of("billboard", "total"));
        assertThat(EmailParser.parse(Fixtures.message("From: a@example.org", body).getBytes(StandardCharsets.UTF_8), custom)
                .receipt().matchedKeywords()).containsExactly("billboard");
        assertThat(parse(Fixtures.message("From: a@example.org", "See you soon")).receipt().isReceipt()).isFalse();
    }

    @Test
    void rendersSnippetsByCharactersAndLeavesTheBodyOutOnRequest() {
        ParsedEmail email = parse(Fixtures.message("From: a@example.org\nContent-Type: text/plain; charset=utf-8",
                "😀 one\n\n   two three"));

        assertThat(ParsedEmail.snippet(email.bodyText(), 5)).isEqualTo("😀 one");
        JsonNode json = email.toJson(new ParseOptions(true, 9, ParseOptions.DEFAULT_RECEIPT_KEYWORDS));
        assertThat(json.get("body_snippet").asText()).isEqualTo("😀 one two");
        assertThat(json.get("body_text").asText()).isEqualTo("😀 one\n\n   two three");
        JsonNode withoutBody = email.toJson(new ParseOptions(false, 9, ParseOptions.DEFAULT_RECEIPT_KEYWORDS));
        assertThat(withoutBody.get("body_text").isNull()).isTrue();
        assertThat(withoutBody.get("body_snippet").isNull()).isTrue();
        assertThat(email.toJson(new ParseOptions(true, 0, List.of())).get("body_snippet").asText()).isEmpty();
    }

    @Test
    void readsLatin1BodiesAndUndeclaredEightBitText() {
        byte[] latin1 = "From: a@example.org\nContent-Type: text/plain; charset=iso-8859-1\n\nCaf\u00e9 cr\u00e8me"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parse(latin1).bodyText()).isEqualTo("Café crème");

        byte[] undeclaredUtf8 = "From: a@example.org\n\nna\u00efve \u2014 ok".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(undeclaredUtf8).bodyText()).isEqualTo("naïve — ok");
    }

    @Test
    void listsMalformedStructureAsDefects() {
        ParsedEmail email = parse(Fixtures.message("""
                From: a@example.org
                Date: yesterday at noon
                Content-Type: multipart/mixed
                this line is not a header
                """, "body without a boundary\n"));

        assertThat(email.defects()).contains("Date: unparseable 'yesterday at noon'",
                "body: Content-Type multipart/mixed without a boundary, read as text/plain",
                "header section: a line that is not a 'Name: value' field was ignored");
        assertThat(email.date()).isEmpty();
        assertThat(email.bodyText()).isEqualTo("body without a boundary");

        ParsedEmail truncated = parse(Fixtures.message("From: a@example.org\nContent-Type: multipart/mixed; boundary=b",
                "--b\nContent-Type: text/plain\n\nhalf a message"));
        assertThat(truncated.defects()).anyMatch(d -> d.startsWith("Body part ended prematurely"));
        assertThat(truncated.bodyText()).isEqualTo("half a message");

        ParsedEmail badBase64 = parse(Fixtures.message("From: a@example.org\nContent-Type: application/octet-stream\n"
                + "Content-Transfer-Encoding: base64", "QUJD*REVG\n"));
        assertThat(badBase64.defects()).containsExactly("base64: Unexpected base64 byte: 42 (ignoring.)");
        assertThat(badBase64.attachments()).extracting(ParsedEmail.Attachment::sizeBytes).containsExactly(6L); // "ABCDEF"
    }

    @Test
    void stopsDescendingIntoHostileNesting() {
        StringBuilder raw = new StringBuilder("From: a@example.org\nContent-Type: multipart/mixed; boundary=b0z\n\n");
        int depth = 20_000; // deep enough to overflow the stack through mime4j's stacked boundary streams
        for (int i = 0; i < depth; i++) { // "b64z" is no prefix of "b640z": one boundary must not end another
            raw.append("--b").append(i).append("z\nContent-Type: multipart/mixed; boundary=b").append(i + 1).append("z\n\n");
        }
        raw.append("--b").append(depth).append("z\nContent-Type: text/plain\n\ntoo deep\n");

        ParsedEmail email = parse(raw.toString());

        assertThat(email.defects()).contains("MIME structure nested deeper than 64 levels: the rest was not parsed into parts");
        assertThat(email.contentType()).isEqualTo("multipart/mixed");
        assertThat(email.bodyText()).isEmpty();
        assertThat(email.attachments()).hasSize(1); // the 64th level, kept whole
    }

    @Test
    void findsTheHeaderSection() {
        assertThat(EmailParser.hasHeaderSection("Subject: hi\n\nbody".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(EmailParser.hasHeaderSection("From someone@example.org Mon Jan  1 00:00:00 2024\nFrom: a@b\n\nx"
                .getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(EmailParser.hasHeaderSection("\r\n\r\nSubject: late\r\n\r\nx".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(EmailParser.hasHeaderSection("Hello Bob,\nhow are you?".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(EmailParser.hasHeaderSection(" folded: not a field".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(EmailParser.hasHeaderSection(new byte[] {0, 1, 2, (byte) 0xff, ':'})).isFalse();
        assertThat(EmailParser.hasHeaderSection(new byte[0])).isFalse();

        ParsedEmail skipped = parse("\n\nSubject: late\n\nx");
        assertThat(skipped.subject()).contains("late");
        assertThat(skipped.defects()).contains("blank lines before the header section were skipped");
    }

    @Test
    void parsesReceivedClausesOutsideComments() {
        ReceivedHop hop = ReceivedHop.parse("from mail.example.org (HELO by.example [192.0.2.1] with love) by mx.example.net"
                + " (Postfix) with ESMTPS id 4B2; Tue,  6 Aug 2002 06:48:09 -0400 (EDT)", new Defects());

        assertThat(hop.from()).contains("mail.example.org (HELO by.example [192.0.2.1] with love)");
        assertThat(hop.by()).contains("mx.example.net (Postfix)");
        assertThat(hop.with()).contains("ESMTPS");
        assertThat(hop.protocol()).contains("esmtps");
        assertThat(hop.id()).contains("4B2");
        assertThat(hop.timestamp()).contains(Instant.parse("2002-08-06T10:48:09Z"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
