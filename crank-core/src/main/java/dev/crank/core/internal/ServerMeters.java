package dev.crank.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The connection meters of one server: {@code crank.http.connections.refused} (tag {@code limit}:
 * {@code total} or {@code per_peer}), {@code crank.http.request.head.timeouts} and the gauge
 * {@code crank.http.connections.open}. Tagged with the server's name.
 */
public final class ServerMeters {

    final Counter refusedOverTotal;
    final Counter refusedOverPeer;
    final Counter headTimeouts;
    final ConnectionLimiter limiter;

    public ServerMeters(MeterRegistry registry, String server, int maxConnections, int maxConnectionsPerPeer) {
        this.limiter = new ConnectionLimiter(maxConnections, maxConnectionsPerPeer);
        this.refusedOverTotal = refused(registry, server, "total");
        this.refusedOverPeer = refused(registry, server, "per_peer");
        this.headTimeouts = Counter.builder("crank.http.request.head.timeouts")
                .description("Connections closed because a request head did not arrive in time")
                .tag("server", server).register(registry);
        Gauge.builder("crank.http.connections.open", limiter, ConnectionLimiter::open)
                .description("Open client connections").tag("server", server).register(registry);
    }

    private static Counter refused(MeterRegistry registry, String server, String limit) {
        return Counter.builder("crank.http.connections.refused")
                .description("Connections closed on accept because a connection limit was reached")
                .tag("server", server).tag("limit", limit).register(registry);
    }
}
