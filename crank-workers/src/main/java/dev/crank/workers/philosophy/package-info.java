/** analyze:philosophy: DNA markers and themes of a text from a stemmed lexicon, with evidence offsets. */
package dev.crank.workers.philosophy;
