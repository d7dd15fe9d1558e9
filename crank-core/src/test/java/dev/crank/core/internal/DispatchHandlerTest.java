package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DispatchHandler} on an {@link EmbeddedChannel}: exchanges go in as the read side hands them
 * over, answers come out as Netty messages, and the handler executor is a queue the test runs by hand,
 * so "one at a time, in order" is visible step by step.
 */
class DispatchHandlerTest {

    /** An executor that holds tasks until the test runs them. */
    private static final class Queued implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runNext() {
            tasks.remove().run();
        }
    }

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final InFlight inFlight = new InFlight();
    private final Queued executor = new Queued();
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private final Handler echo = request -> {
        handled.add(request.path());
        return switch (request.path()) {
            case "/refuse" -> throw CrankException.badRequest("REFUSED", "refused by the handler");
            case "/crash" -> throw new IllegalStateException("secret internals");
            default -> CrankResponse.json(Map.of("path", request.path()));
        };
    };

    @Test
    void runsOneRequestAtATimeAndAnswersInArrivalOrder() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, executor, inFlight, Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/first"), request("/second"));
        assertThat(executor.tasks).as("the second waits until the first is answered").hasSize(1);
        assertThat(inFlight.count()).isEqualTo(1);

        executor.runNext();
        channel.runPendingTasks();
        assertThat(body(channel.readOutbound())).isEqualTo("{\"path\":\"/first\"}");
        assertThat(executor.tasks).hasSize(1);
        executor.runNext();
        channel.runPendingTasks();
        assertThat(body(channel.readOutbound())).isEqualTo("{\"path\":\"/second\"}");
        assertThat(handled).containsExactly("/first", "/second");
        assertThat(inFlight.count()).isZero();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRefusalWaitsForEarlierAnswersAndOneThatEndsTheConnectionDropsWhatFollows() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, executor, inFlight, Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/first"),
                new Exchange.Reject(CrankException.badRequest("TOO_BIG", "headers too large"), "/x", false),
                request("/never"));
        assertThat((Object) channel.readOutbound()).as("nothing overtakes the first answer").isNull();
        assertThat(channel.config().isAutoRead()).as("reading stops after a refusal that ends the connection").isFalse();

        executor.runNext();
        channel.runPendingTasks();
        assertThat(status(channel.readOutbound())).isEqualTo(200);
        FullHttpResponse refusal = channel.readOutbound();
        assertThat(refusal.status().code()).isEqualTo(400);
        assertThat(CrankJson.read(bytes(refusal)).get("code").asText()).isEqualTo("TOO_BIG");
        assertThat(channel.isOpen()).isFalse();
        assertThat(handled).containsExactly("/first");
        assertThat(executor.tasks).isEmpty();
    }

    @Test
    void pathsThatNeverBlockRunOnTheEventLoopUnlessTheirBodyIsLarge() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, executor, path -> null, path -> path.startsWith("/loop"), inFlight,
                Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/loop/small"));
        assertThat(executor.tasks).as("no hand-off to the handler executor").isEmpty();
        assertThat(body(channel.readOutbound())).isEqualTo("{\"path\":\"/loop/small\"}");

        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/loop/large");
        head.headers().set(HttpHeaderNames.HOST, "localhost");
        channel.writeInbound(new Exchange.Request(head, new byte[DispatchHandler.EVENT_LOOP_BODY_LIMIT + 1]), request("/other"));
        assertThat(executor.tasks).as("a large body is read on a handler thread").hasSize(1);
        executor.runNext();
        channel.runPendingTasks();
        assertThat(body(channel.readOutbound())).isEqualTo("{\"path\":\"/loop/large\"}");
        assertThat(executor.tasks).as("a path not declared runs on the executor").hasSize(1);
        executor.runNext();
        channel.runPendingTasks();
        assertThat(body(channel.readOutbound())).isEqualTo("{\"path\":\"/other\"}");
        assertThat(handled).containsExactly("/loop/small", "/loop/large", "/other");
        assertThat(inFlight.count()).isZero();
    }

    @Test
    void handlerFailuresBecomeProblemsThatSayNothingOfTheInternals() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, Runnable::run, inFlight, Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/refuse"), request("/crash"));
        channel.runPendingTasks();
        FullHttpResponse refused = channel.readOutbound();
        assertThat(refused.status().code()).isEqualTo(400);
        assertThat(refused.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/problem+json");
        assertThat(CrankJson.read(bytes(refused)).get("code").asText()).isEqualTo("REFUSED");
        FullHttpResponse crashed = channel.readOutbound();
        assertThat(crashed.status().code()).isEqualTo(500);
        String text = new String(bytes(crashed), StandardCharsets.UTF_8);
        assertThat(text).contains("INTERNAL_ERROR").doesNotContain("secret").doesNotContain("IllegalStateException");
        assertThat(channel.isOpen()).as("a failed handler does not end a keep-alive connection").isTrue();
    }

    @Test
    void aMalformedTargetOrHostIsRefusedWithoutRunningTheHandler() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, Runnable::run, inFlight, Duration.ofSeconds(5), 16));
        HttpRequest noHost = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/fine");
        channel.writeInbound(new Exchange.Request(noHost, new byte[0]));
        channel.runPendingTasks();
        FullHttpResponse missing = channel.readOutbound();
        assertThat(missing.status().code()).isEqualTo(400);
        assertThat(CrankJson.read(bytes(missing)).get("code").asText()).isEqualTo("MISSING_HOST");
        assertThat(handled).isEmpty();
    }

    @Test
    void stopsReadingWhileTooManyExchangesWaitAndResumesAsTheyDrain() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, executor, inFlight, Duration.ofSeconds(5), 2));
        channel.writeInbound(request("/1"));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(request("/2"), request("/3"));
        assertThat(channel.config().isAutoRead()).as("two waiting behind the running one").isFalse();

        executor.runNext();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("one waiting again").isTrue();
        executor.runNext();
        executor.runNext();
        channel.runPendingTasks();
        assertThat(List.of(status(channel.readOutbound()), status(channel.readOutbound()), status(channel.readOutbound())))
                .containsExactly(200, 200, 200);
        assertThat(handled).containsExactly("/1", "/2", "/3");
    }

    @Test
    void aFullExecutorIsA503WithRetryAfterAndTheConnectionStaysUsable() {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        channel = new EmbeddedChannel(new DispatchHandler(echo, full, inFlight, Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/busy"));
        channel.runPendingTasks();
        FullHttpResponse busy = channel.readOutbound();
        assertThat(busy.status().code()).isEqualTo(503);
        assertThat(busy.headers().get("retry-after")).isEqualTo("1");
        assertThat(CrankJson.read(bytes(busy)).get("code").asText()).isEqualTo("SERVER_BUSY");
        assertThat(inFlight.count()).isZero();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aContinueIsWrittenInItsTurn() {
        channel = new EmbeddedChannel(new DispatchHandler(echo, executor, inFlight, Duration.ofSeconds(5), 16));
        channel.writeInbound(request("/first"), new Exchange.Continue());
        assertThat((Object) channel.readOutbound()).isNull();
        executor.runNext();
        channel.runPendingTasks();
        assertThat(status(channel.readOutbound())).isEqualTo(200);
        HttpResponse interim = channel.readOutbound();
        assertThat(interim.status().code()).isEqualTo(100);
        ReferenceCountUtil.release(interim);
    }

    private static Exchange.Request request(String path) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        head.headers().set(HttpHeaderNames.HOST, "localhost");
        return new Exchange.Request(head, new byte[0]);
    }

    private static int status(FullHttpResponse response) {
        int code = response.status().code();
        response.release();
        return code;
    }

    private static String body(FullHttpResponse response) {
        return new String(bytes(response), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(FullHttpResponse response) {
        try {
            byte[] bytes = new byte[response.content().readableBytes()];
            response.content().getBytes(response.content().readerIndex(), bytes);
            return bytes;
        } finally {
            response.release();
        }
    }
}
