package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The views' records on the wire, byte for byte: the console, the CLI and the protocol document read
 * these names in this order (taken from the answers of the hand-built trees the records replaced).
 */
class RegistryViewsWireTest {

    @Test
    void aWorkerOfTheWorkersPage() {
        RegistryViews.WorkerView worker = new RegistryViews.WorkerView("w-0", "https://localhost:8600", true, "active",
                "2026-01-01T00:00:00Z", 1.5, "2026-01-01T00:00:00Z", List.of("greet:hello_world"), Map.of("greet:hello_world", 3),
                "cuda:0", CrankJson.object().put("device", "cuda:0"), CrankJson.object().put("in_flight", 2));
        assertThat(CrankJson.string(new RegistryViews.WorkerPage(List.of(worker), "w-0", 3))).isEqualTo("""
                {"workers":[{"worker_id":"w-0","worker_url":"https://localhost:8600","is_healthy":true,"state":"active",\
                "last_heartbeat":"2026-01-01T00:00:00Z","heartbeat_age_seconds":1.5,"registered_at":"2026-01-01T00:00:00Z",\
                "capabilities":["greet:hello_world"],"max_concurrency":{"greet:hello_world":3},"device":"cuda:0",\
                "metadata":{"device":"cuda:0"},"load":{"in_flight":2}}],"next":"w-0","total":3}""");
        assertThat(CrankJson.string(new RegistryViews.WorkerPage(List.of(), null, 0)))
                .as("no next on the last page").isEqualTo("{\"workers\":[],\"total\":0}");
    }

    @Test
    void aCapabilitySummaryAndARoute() {
        RegistryViews.CapabilitySummary summary = new RegistryViews.CapabilitySummary("greet", "hello_world", 2, 2, 1,
                new TreeSet<>(List.of("1.2.0", "1.0.0")), List.of("w-0", "w-1"), true);
        assertThat(CrankJson.string(summary)).isEqualTo("""
                {"verb":"greet","name":"hello_world","workers":2,"healthy_workers":2,"gpu_workers":1,\
                "versions":["1.0.0","1.2.0"],"worker_ids":["w-0","w-1"],"requires_gpu":true}""");
        assertThat(CrankJson.string(new RegistryViews.Route("w-2", "https://localhost:8602", "echo:text")))
                .isEqualTo("{\"worker_id\":\"w-2\",\"worker_url\":\"https://localhost:8602\",\"capability\":\"echo:text\"}");
    }

    @Test
    void aCatalogEntry() {
        Map<String, RegistryViews.VersionView> versions = new LinkedHashMap<>();
        versions.put("2.0.0", new RegistryViews.VersionView(CrankJson.object(), CrankJson.object(), "", false, false));
        RegistryViews.ProviderView provider = new RegistryViews.ProviderView("w-1", "https://localhost:8601", "2.0.0", "cpu", 10,
                true, 0, CrankJson.object());
        RegistryViews.Catalog catalog = new RegistryViews.Catalog(1, Map.of("echo:text", new RegistryViews.CatalogEntry("echo:text",
                versions, List.of(provider), 1, new RegistryViews.Counters(5, 2, 1, 0))));
        assertThat(CrankJson.string(catalog)).isEqualTo("""
                {"capability_count":1,"capabilities":{"echo:text":{"capability":"echo:text","versions":{"2.0.0":\
                {"input_schema":{},"output_schema":{},"description":"","idempotent":false,"requires_gpu":false}},\
                "providers":[{"worker_id":"w-1","worker_url":"https://localhost:8601","version":"2.0.0","device":"cpu",\
                "max_concurrency":10,"healthy":true,"in_flight_via_gateway":0,"reported_load":{}}],"provider_count":1,\
                "counters":{"gateway_calls":5,"gateway_non_2xx":2,"gateway_429":1,"gateway_retries":0}}}}""");
    }

    @Test
    void theMembershipAnswers() {
        assertThat(CrankJson.string(new MembershipEndpoints.Registered("registered", "w-0", 1, 30)))
                .isEqualTo("{\"status\":\"registered\",\"worker_id\":\"w-0\",\"capabilities_registered\":1,\"heartbeat_interval_seconds\":30}");
        assertThat(CrankJson.string(new MembershipEndpoints.Acknowledged("ok", true))).isEqualTo("{\"status\":\"ok\",\"acknowledged\":true}");
        assertThat(CrankJson.string(new MembershipEndpoints.UnknownWorker("unknown_worker", false, "nobody", "UNKNOWN_WORKER",
                "The controller does not know nobody; register again"))).isEqualTo("""
                {"status":"unknown_worker","acknowledged":false,"worker_id":"nobody","code":"UNKNOWN_WORKER",\
                "detail":"The controller does not know nobody; register again"}""");
        assertThat(CrankJson.string(new MembershipEndpoints.Deregistered("deregistered", "w-2")))
                .isEqualTo("{\"status\":\"deregistered\",\"worker_id\":\"w-2\"}");
    }
}
