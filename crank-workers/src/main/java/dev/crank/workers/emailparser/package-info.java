/** parse:email_headers: RFC 5322 / MIME messages and mbox files to headers, hops, authentication, text and attachments (parsed by {@link dev.crank.workers.mail}). */
package dev.crank.workers.emailparser;
