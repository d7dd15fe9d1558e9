/** The shipped workers, one package each, and the catalogue the runtime starts them from. */
package dev.crank.workers;
