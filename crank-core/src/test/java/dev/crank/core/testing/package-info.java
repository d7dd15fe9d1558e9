/** Test helpers of crank-core: a probe server, raw HTTPS, test TLS material, a mutable clock. */
package dev.crank.core.testing;
