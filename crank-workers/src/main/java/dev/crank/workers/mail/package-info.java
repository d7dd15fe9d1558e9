/**
 * The mail library both email workers use: RFC 5322 / MIME parsing with mime4j into a {@link dev.crank.workers.mail.ParsedEmail}
 * (headers, addresses, dates, Received hops, authentication results, body text, attachments, receipts, defects), mbox
 * splitting, and the SpamAssassin corpus reader.
 */
package dev.crank.workers.mail;
