package dev.crank.controller;

import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.core.WorkerConfig;
import java.nio.file.Path;

/**
 * A started controller for a test: a development PKI in {@code dir/pki}, {@code 127.0.0.1} on port 0, and an
 * admin client of that PKI. Closing it closes both.
 */
record LocalController(ControllerApplication application, CrankClient admin) implements AutoCloseable {

    static LocalController start(Path dir, ControllerSettings settings) {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        ControllerApplication application = new ControllerApplication(
                WorkerConfig.builder(ControllerApplication.CONTROLLER_ID, pki.controllerMaterial()).bindHost("127.0.0.1").build(),
                settings);
        application.start();
        return new LocalController(application, CrankClient.builder(pki.adminMaterial("admin")).build());
    }

    @Override
    public void close() {
        application.close();
        admin.close();
    }
}
