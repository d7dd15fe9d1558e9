package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The membership endpoints of DESIGN §4, {@code /register}, {@code /heartbeat} and {@code /deregister}:
 * checks the request and who sends it (only the worker itself or an admin), then asks the {@link Registry}.
 * Both forms of deregistration (a body, or {@code DELETE /deregister/{worker_id}}) end in one
 * {@link #deregister(CrankRequest, String)}. A registration, a heartbeat on a shared store (its lease
 * renewal) and a deregistration are answered once the store has done its part, without a thread waiting
 * for that ({@link Registry#registerAsync}, {@link Registry#heartbeatAsync}, {@link Registry#deregisterAsync}).
 */
final class MembershipEndpoints {

    /** {@code POST /register}: 200. */
    record Registered(String status, String workerId, int capabilitiesRegistered, long heartbeatIntervalSeconds) {}

    /** {@code POST /heartbeat}: 200 when the registry knows the worker. */
    record Acknowledged(String status, boolean acknowledged) {}

    /** {@code POST /heartbeat}: 404 for a worker the registry does not know; it registers again. */
    record UnknownWorker(String status, boolean acknowledged, String workerId, String code, String detail) {}

    /** {@code POST /deregister} and {@code DELETE /deregister/{worker_id}}: 200. */
    record Deregistered(String status, String workerId) {}

    private final Registry registry;
    private final Duration heartbeatInterval;
    private final OwnAddress ownAddress;

    MembershipEndpoints(Registry registry, Duration heartbeatInterval, OwnAddress ownAddress) {
        this.registry = registry;
        this.heartbeatInterval = heartbeatInterval;
        this.ownAddress = ownAddress;
    }

    CrankResponse register(CrankRequest request) {
        JsonNode body = ControllerRequests.jsonObject(request);
        String workerId = RegistrationRules.workerId(body.get("worker_id"));
        ControllerRequests.authorize(request, workerId);
        URI url = RegistrationRules.workerUrl(body.get("worker_url"));
        if (ownAddress.matches(url)) {
            throw CrankException.badRequest("WORKER_URL_IS_CONTROLLER",
                    "worker_url: " + url + " is this controller's own address (expected: the worker's address)");
        }
        List<CapabilitySchema> capabilities = RegistrationRules.capabilities(body.get("capabilities"));
        ObjectNode metadata = RegistrationRules.metadata(body.get("metadata"));
        CompletableFuture<Void> committed = registry.registerAsync(workerId, url, capabilities, metadata);
        CrankResponse registered = CrankResponse.json(new Registered("registered", workerId, capabilities.size(),
                Math.max(1, heartbeatInterval.toSeconds())));
        return answered(committed, ignored -> registered);
    }

    CrankResponse heartbeat(CrankRequest request) {
        JsonNode body = ControllerRequests.fields(request);
        String workerId = RegistrationRules.workerId(body.get("worker_id"));
        ControllerRequests.authorize(request, workerId);
        JsonNode load = body.get("load");
        if (load != null && !load.isNull() && !load.isObject()) {
            throw CrankException.badRequest("INVALID_LOAD", "load: expected an object");
        }
        CompletableFuture<Boolean> renewed = registry.heartbeatAsync(workerId, load instanceof ObjectNode object ? object.deepCopy() : CrankJson.object());
        return answered(renewed, known -> known ? CrankResponse.json(new Acknowledged("ok", true))
                : CrankResponse.json(404, new UnknownWorker("unknown_worker", false, workerId, "UNKNOWN_WORKER",
                        "The controller does not know " + workerId + "; register again")));
    }

    /** {@code POST /deregister} with {@code worker_id} in a JSON or form body. */
    CrankResponse deregisterByBody(CrankRequest request) {
        return deregister(request, RegistrationRules.workerId(ControllerRequests.fields(request).get("worker_id")));
    }

    /** {@code DELETE /deregister/{worker_id}}. */
    CrankResponse deregisterByPath(CrankRequest request) {
        String workerId = request.pathParam("worker_id");
        if (!RegistrationRules.WORKER_ID.matcher(workerId).matches()) {
            throw CrankException.badRequest("INVALID_WORKER_ID", "worker_id: expected [A-Za-z0-9._-]{1,128}");
        }
        return deregister(request, workerId);
    }

    private CrankResponse deregister(CrankRequest request, String workerId) {
        ControllerRequests.authorize(request, workerId);
        return answered(registry.deregisterAsync(workerId), removed -> {
            if (!removed) {
                throw CrankException.notFound("UNKNOWN_WORKER", "The controller does not know " + workerId);
            }
            return CrankResponse.json(new Deregistered("deregistered", workerId));
        });
    }

    /**
     * The answer to {@code result}: at once when it is complete (the embedded store), otherwise written on
     * the caller's event loop when it completes, so that no handler thread waits for the store.
     * {@code answer} may throw a {@link CrankException}, answered as a problem.
     */
    private static <T> CrankResponse answered(CompletableFuture<T> result, Function<T, CrankResponse> answer) {
        if (result.isDone()) {
            T value;
            try {
                value = result.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                throw Registry.answer(e);
            }
            return answer.apply(value);
        }
        return CrankResponse.relayed(exchange -> result.whenComplete((value, error) -> {
            if (error != null) {
                exchange.respond(Registry.answer(error));
                return;
            }
            try {
                exchange.respond(answer.apply(value));
            } catch (CrankException problem) {
                exchange.respond(problem);
            }
        }));
    }
}
