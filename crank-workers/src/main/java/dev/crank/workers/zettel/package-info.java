/** manage:zettel: a Zettelkasten of Markdown notes with links, backlinks and Lucene search. */
package dev.crank.workers.zettel;
