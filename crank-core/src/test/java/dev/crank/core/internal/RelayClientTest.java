package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.NotSentException;
import dev.crank.core.ClientRequest;

import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.core.Handler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's upstream pool: one per event loop and host, bounded by the limit each exchange passes, reused. */
class RelayClientTest {

    @TempDir
    Path dir;
    private DevPki pki;
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        pki = DevPki.open(dir.resolve("pki"));
        group = Transport.newGroup(1, "relay-test");
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void holdsNoMoreConnectionsThanTheLimitAndReusesThemOnceAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CrankServer server = upstream(request -> {
                    if (request.path().equals("/hold")) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    return CrankResponse.text(200, "text/plain", "ok");
                })) {
            RelayClient client = new RelayClient(pki.adminMaterial("admin"), Duration.ofSeconds(10));
            EventLoop loop = group.next();
            URI base = URI.create("https://localhost:" + server.port());

            CompletableFuture<Integer> first = send(loop, client, base.resolve("/hold"), 2);
            CompletableFuture<Integer> second = send(loop, client, base.resolve("/hold"), 2);
            CompletableFuture<Integer> third = send(loop, client, base.resolve("/hold"), 2);
            assertThat(third.handle((status, error) -> error).get(30, TimeUnit.SECONDS))
                    .as("a third call beyond the limit of 2 is refused before it is sent")
                    .isInstanceOf(NotSentException.class);
            assertThat(client.connections("localhost", server.port())).isEqualTo(2);

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(send(loop, client, base.resolve("/quick"), 2).get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(client.connections("localhost", server.port())).as("answered connections are reused").isEqualTo(2);
            client.close();
        }
    }

    /**
     * One timer per connection serves every exchange's deadline: the timer armed for a short exchange that was
     * answered in time must neither fail a later one that is still within its own deadline nor miss a later one
     * that is late.
     */
    @Test
    void eachExchangeOnAKeptConnectionHasItsOwnDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CrankServer server = upstream(request -> {
                    if (request.path().equals("/slow")) {
                        Thread.sleep(1500); // past the first exchange's deadline, within the second's
                    } else if (request.path().equals("/never")) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    return CrankResponse.text(200, "text/plain", "ok");
                })) {
            RelayClient client = new RelayClient(pki.adminMaterial("admin"), Duration.ofSeconds(10));
            URI base = URI.create("https://localhost:" + server.port());
            EventLoop loop = group.next();

            assertThat(send(loop, client, base.resolve("/quick"), 1, Duration.ofMillis(500)).get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(send(loop, client, base.resolve("/slow"), 1, Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS))
                    .as("answered within its own deadline, on the connection whose timer was armed for the first").isEqualTo(200);
            assertThat(client.connections("localhost", server.port())).as("one connection carried both").isEqualTo(1);
            assertThat(send(loop, client, base.resolve("/never"), 1, Duration.ofMillis(500)).handle((status, error) -> error)
                    .get(30, TimeUnit.SECONDS)).as("an answer that never comes fails its exchange").isInstanceOf(TimeoutException.class);
            release.countDown();
            client.close();
        } finally {
            release.countDown();
        }
    }

    private CrankServer upstream(Handler handler) {
        return CrankServer.builder(pki.workerMaterial("crank-upstream"), handler).name("crank-upstream").bindHost("127.0.0.1").build().start();
    }

    private static CompletableFuture<Integer> send(EventLoop loop, RelayClient client, URI uri, int limit) {
        return send(loop, client, uri, limit, Duration.ofSeconds(30));
    }

    /** One exchange on {@code loop}; completes with the status once the whole answer arrived. */
    private static CompletableFuture<Integer> send(EventLoop loop, RelayClient client, URI uri, int limit, Duration deadline) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        ClientRequest request = new ClientRequest("GET", uri, Map.of(), new byte[0], deadline);
        loop.execute(() -> client.exchange(loop, request, null, delta -> { }, limit, (channel, release) -> new ResponseSink() {
            private int status;

            @Override
            public void onHead(Channel ch, HttpResponse head) {
                status = head.status().code();
            }

            @Override
            public void onContent(Channel ch, ByteBuf content) {
            }

            @Override
            public void onEnd(Channel ch) {
                release.accept(ch, true);
                result.complete(status);
            }

            @Override
            public void onError(Throwable cause, boolean requestWritten) {
                release.accept(channel, false);
                result.completeExceptionally(cause);
            }

            @Override
            public boolean headOnlyDeadline() {
                return false;
            }
        }, () -> () -> { }, result::completeExceptionally));
        return result;
    }
}
