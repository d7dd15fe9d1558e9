/** convert:document_to_pdf: Markdown, HTML or text to PDF with embedded fonts, never fetching anything. */
package dev.crank.workers.documentconversion;
