package dev.crank.controller;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a {@code worker_url} points at the controller itself: the gateway would then call
 * itself for every request, a loop that ends only when its connections run out. Matches the advertised
 * URL, and the listening port on {@code localhost}, a loopback or wildcard address, or an address of
 * this host's interfaces. Host names are never resolved (no lookup leaves the host).
 */
final class OwnAddress {

    private static final Logger logger = LoggerFactory.getLogger(OwnAddress.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final IntSupplier port;
    private final Optional<URI> advertised;
    private Set<InetAddress> interfaces;

    OwnAddress(IntSupplier port, Optional<URI> advertised) {
        this.port = port;
        this.advertised = advertised;
    }

    boolean matches(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        int target = url.getPort() == -1 ? 443 : url.getPort();
        if (advertised.isPresent()) {
            URI own = advertised.get();
            int ownPort = own.getPort() == -1 ? 443 : own.getPort();
            if (host.equalsIgnoreCase(own.getHost()) && target == ownPort) {
                return true;
            }
        }
        if (target != port.getAsInt()) {
            return false;
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        return literal(host).map(address -> address.isLoopbackAddress() || address.isAnyLocalAddress()
                || localAddresses().contains(address)).orElse(false);
    }

    /** An IP literal as an address, without any lookup; empty for a host name. */
    private static Optional<InetAddress> literal(String host) {
        boolean ipv6 = host.startsWith("[") && host.endsWith("]");
        if (!ipv6 && !IPV4.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ipv6 ? host.substring(1, host.length() - 1) : host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private synchronized Set<InetAddress> localAddresses() {
        if (interfaces == null) {
            Set<InetAddress> found = new HashSet<>();
            try {
                for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    found.addAll(Collections.list(network.getInetAddresses()));
                }
            } catch (SocketException e) {
                logger.warn("Cannot list this host's addresses; only loopback and the advertised URL count as the controller's own: {}",
                        e.toString());
            }
            interfaces = Set.copyOf(found);
        }
        return interfaces;
    }
}
