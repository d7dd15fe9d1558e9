/** A JUnit extension that runs a worker (and optionally a controller) on port 0 over real mutual TLS with a throw-away PKI. */
package dev.crank.testing;
