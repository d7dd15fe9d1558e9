/** Benchmarks and harnesses: the mTLS load generator and the platform-level measurements behind docs/benchmarks.md. */
package dev.crank.bench;
