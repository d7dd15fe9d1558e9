/**
 * Test helpers of crank-core for the modules below crank-testing in the build (crank-core and crank-controller):
 * a probe server, raw HTTPS, test TLS material, a mutable clock, a manual scheduler. Modules above take the
 * clock, {@code Await}, the assertions and the platforms from the public kit, {@code dev.crank.testing}.
 */
package dev.crank.core.testing;
