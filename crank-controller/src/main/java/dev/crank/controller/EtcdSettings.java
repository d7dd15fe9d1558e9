package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where a shared registry lives in etcd: the members' client URLs (https only), the certificate this
 * controller presents to them and the CA it trusts (by default the controller's own), the key prefix
 * (default {@code /crank/v1/}) and the deadline of every call to etcd (default 5 s).
 *
 * <pre>{@code
 * EtcdSettings etcd = EtcdSettings.of(List.of(URI.create("https://10.0.0.1:2379")), controllerTls);
 * ControllerSettings settings = ControllerSettings.defaults(dataDir).withStore(new EtcdRegistryStore(etcd, timeout));
 * }</pre>
 */
public record EtcdSettings(List<URI> endpoints, TlsMaterial tls, String prefix, Duration callTimeout) {

    public static final String DEFAULT_PREFIX = "/crank/v1/";
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    public EtcdSettings {
        endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("CRANK_ETCD_ENDPOINTS: none given (expected: https://host:port,...)");
        }
        endpoints.forEach(endpoint -> WorkerConfig.requireHttps("CRANK_ETCD_ENDPOINTS", endpoint));
        requireNonNull(tls, "tls");
        requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2) {
            throw new IllegalArgumentException("etcd prefix: '" + prefix + "' (expected: /path/ with a leading and a trailing slash)");
        }
        requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout: " + callTimeout + " (expected: > 0)");
        }
    }

    public static EtcdSettings of(List<URI> endpoints, TlsMaterial tls) {
        return new EtcdSettings(endpoints, tls, DEFAULT_PREFIX, DEFAULT_CALL_TIMEOUT);
    }

    /** Parses {@code https://a:2379,https://b:2379}. */
    public static List<URI> parseEndpoints(String list) {
        requireNonNull(list, "list");
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(value -> {
                    try {
                        return WorkerConfig.requireHttps("CRANK_ETCD_ENDPOINTS", new URI(value));
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalArgumentException("CRANK_ETCD_ENDPOINTS: '" + value + "' is not a URL (expected: https://host:port)");
                    }
                }).toList();
    }

    public EtcdSettings withPrefix(String newPrefix) {
        return new EtcdSettings(endpoints, tls, newPrefix, callTimeout);
    }

    public EtcdSettings withCallTimeout(Duration timeout) {
        return new EtcdSettings(endpoints, tls, prefix, timeout);
    }
}
