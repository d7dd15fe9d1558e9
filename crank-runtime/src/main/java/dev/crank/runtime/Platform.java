package dev.crank.runtime;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.WorkerApplication;
import dev.crank.workers.WorkerCatalog;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the controller and every shipped worker in one JVM ({@code --all}). */
final class Platform {

    private Platform() {}

    static ControllerApplication controller(Settings settings, int port) {
        return new ControllerApplication(
                settings.worker(ControllerApplication.CONTROLLER_ID, Settings.CONTROLLER_PORT, true).port(port).build(),
                settings.controllerSettings());
    }

    static List<WorkerApplication> start(Settings settings, PrintWriter out) {
        List<WorkerApplication> started = new ArrayList<>();
        try {
            ControllerApplication controller = controller(settings, settings.port(Settings.CONTROLLER_PORT));
            controller.start();
            started.add(controller);
            URI controllerUrl = URI.create("https://localhost:" + controller.port());
            for (WorkerCatalog.Entry entry : WorkerCatalog.entries()) {
                WorkerApplication worker = entry.developmentFactory().apply(settings.worker(entry.workerId(), entry.defaultPort(), false)
                        .port(entry.defaultPort())
                        .controllerUrl(controllerUrl)
                        .build());
                worker.start();
                started.add(worker);
            }
        } catch (RuntimeException e) {
            started.forEach(WorkerApplication::close);
            throw e;
        }
        printTable(settings, started, out);
        return started;
    }

    private static void printTable(Settings settings, List<WorkerApplication> apps, PrintWriter out) {
        out.println();
        out.printf("%-32s %-6s %s%n", "WORKER", "PORT", "CAPABILITIES");
        for (WorkerApplication app : apps) {
            String capabilities = app instanceof ControllerApplication ? "(controller: /route /capabilities /workers)"
                    : WorkerCatalog.entries().stream().filter(entry -> entry.workerId().equals(app.workerId()))
                    .findFirst().map(entry -> String.join(", ", entry.capabilities())).orElse("");
            out.printf("%-32s %-6d %s%n", app.workerId(), app.port(), capabilities);
        }
        Path pki = settings.dataDir().resolve("pki");
        out.println();
        out.println("Try it:");
        out.printf("  curl --cert %1$s/admin.crt --key %1$s/admin.key --cacert %1$s/ca.crt \\%n", pki);
        out.println("       -H 'content-type: application/json' -d '{\"message\":\"World\",\"options\":{\"uppercase\":true}}' \\");
        out.printf("       https://localhost:%d/invoke/greet/hello_world%n", apps.get(1).port());
        out.println();
        out.flush();
    }
}
