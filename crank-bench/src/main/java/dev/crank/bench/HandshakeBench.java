package dev.crank.bench;

import dev.crank.core.DevPki;
import dev.crank.core.TlsMaterial;
import dev.crank.core.internal.Transport; // internal: the benchmark drives raw Netty on the platform's own transport choice
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Full mutual-TLS handshakes per second with the OpenSSL (BoringSSL, netty-tcnative) provider and
 * with the JDK provider, alternating rounds in one run. Both ends use the provider under test, the
 * same EC P-256 certificates and protocols (TLS 1.3, 1.2) as {@link TlsMaterial}, host names are
 * verified. Resumption is ruled out (every connection uses a distinct session-cache key) and checked:
 * the server's trust manager counts client-certificate verifications, which only full handshakes do.
 */
final class HandshakeBench {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private HandshakeBench() {}

    static void run(Args args) throws Exception {
        int rounds = args.integer("rounds", 3);
        int concurrency = args.integer("concurrency", 8);
        int serverThreads = args.integer("server-threads", 1);
        int clientThreads = args.integer("client-threads", 1);
        Duration duration = args.duration("duration", Duration.ofSeconds(8));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        OpenSsl.ensureAvailability();
        Harness.header("handshake", String.format("rounds=%d concurrency=%d server-threads=%d client-threads=%d warmup=%s duration=%s openssl=%s",
                rounds, concurrency, serverThreads, clientThreads, warmup, duration, OpenSsl.versionString()));
        Path dir = Harness.scratch("handshake");
        DevPki pki = Harness.pki(dir);
        TlsMaterial server = pki.controllerMaterial();
        TlsMaterial client = pki.adminMaterial("admin");
        double[] totals = new double[2];
        SslProvider[] providers = {SslProvider.OPENSSL, SslProvider.JDK};
        for (int round = 0; round <= rounds; round++) {
            double[] rates = new double[2];
            for (int i = 0; i < providers.length; i++) {
                Duration measured = round == 0 ? warmup : duration;
                rates[i] = measure(providers[i], server, client, concurrency, serverThreads, clientThreads, measured, round == 0);
                if (round > 0) {
                    totals[i] += rates[i];
                }
            }
            if (round > 0) {
                Harness.result("handshakes round " + round, "OpenSSL %.0f/s, JDK %.0f/s, ratio %.2f", rates[0], rates[1], rates[0] / rates[1]);
            }
        }
        Harness.result("handshakes mean of " + rounds, "OpenSSL %.0f/s, JDK %.0f/s, ratio %.2f", totals[0] / rounds, totals[1] / rounds,
                totals[0] / totals[1]);
        Harness.deleteQuietly(dir);
    }

    private static double measure(SslProvider provider, TlsMaterial serverTls, TlsMaterial clientTls, int concurrency, int serverThreads,
                                  int clientThreads, Duration duration, boolean warmup) throws Exception {
        CountingTrustManager verifications = new CountingTrustManager(trustManager(serverTls.trustedCa()));
        SslContext serverContext = SslContextBuilder.forServer(serverTls.certificateChain().toFile(), serverTls.privateKey().toFile())
                .sslProvider(provider).trustManager(verifications).clientAuth(ClientAuth.REQUIRE).protocols(PROTOCOLS).build();
        SslContext clientContext = SslContextBuilder.forClient().sslProvider(provider)
                .keyManager(clientTls.certificateChain().toFile(), clientTls.privateKey().toFile())
                .trustManager(clientTls.trustedCa().toFile()).endpointIdentificationAlgorithm("HTTPS").protocols(PROTOCOLS).build();
        EventLoopGroup serverGroup = Transport.newGroup(serverThreads, "hs-server");
        EventLoopGroup clientGroup = Transport.newGroup(clientThreads, "hs-client");
        AtomicLong serverDone = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong keys = new AtomicLong();
        String[] protocol = new String[1];
        try {
            Channel listener = new ServerBootstrap().group(serverGroup).channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(serverContext.newHandler(channel.alloc())).addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                    if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                        serverDone.incrementAndGet();
                                    }
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Bootstrap bootstrap = new Bootstrap().group(clientGroup).channel(Transport.clientChannel()).option(ChannelOption.TCP_NODELAY, true);
            long end = System.nanoTime() + duration.toNanos();
            long verifiedBefore = verifications.count.get();
            long start = System.nanoTime();
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (System.nanoTime() >= end) {
                    return;
                }
                // A distinct (host, port) key per connection: the client never offers a cached session.
                int sessionKey = (int) (1 + keys.getAndIncrement() % 65000);
                bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler tls = clientContext.newHandler(channel.alloc(), "localhost", sessionKey);
                        channel.pipeline().addLast(tls);
                        tls.handshakeFuture().addListener(shaken -> {
                            if (shaken.isSuccess()) {
                                completed.incrementAndGet();
                                if (protocol[0] == null) {
                                    SSLEngine engine = tls.engine();
                                    protocol[0] = engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
                                }
                            } else {
                                failed.incrementAndGet();
                            }
                            channel.close().addListener(closed -> next[0].run());
                        });
                    }
                }).connect("127.0.0.1", port);
            };
            for (int i = 0; i < concurrency; i++) {
                clientGroup.execute(next[0]);
            }
            Thread.sleep(duration.toMillis());
            long elapsed = System.nanoTime() - start;
            long done = completed.get();
            long verified = verifications.count.get() - verifiedBefore;
            Thread.sleep(200);
            listener.close().sync();
            double rate = done * 1e9 / elapsed;
            System.out.printf("# %s%s: %d handshakes in %.1f s = %.0f/s, failed %d, client certificates verified by the server %d, %s%n",
                    warmup ? "warm-up " : "", provider, done, elapsed / 1e9, rate, failed.get(), verified, protocol[0]);
            return rate;
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            ReferenceCountUtil.release(serverContext);
            ReferenceCountUtil.release(clientContext);
        }
    }

    private static X509ExtendedTrustManager trustManager(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("crank-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager");
    }

    /** Delegates every check; counts client-certificate verifications (a resumed session skips them). */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final AtomicLong count = new AtomicLong();

        CountingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            count.incrementAndGet();
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            count.incrementAndGet();
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            count.incrementAndGet();
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
