/** stream:text_events and stream:sse_events: server-sent events with backpressure and a status stream. */
package dev.crank.workers.streaming;
