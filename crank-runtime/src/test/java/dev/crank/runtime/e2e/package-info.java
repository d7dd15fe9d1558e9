/** End-to-end tests that run the whole platform as separate processes. */
package dev.crank.runtime.e2e;
