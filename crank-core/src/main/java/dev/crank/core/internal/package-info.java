/** Plumbing of crank-core (Netty pipeline, dispatch, controller link, JSON and schema internals); not API: code outside crank-core must not import it. */
package dev.crank.core.internal;
