package dev.crank.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link CrankPlatform} per test (instance field) or per class ({@code static} field), in a temporary
 * folder removed afterwards; the test starts the workers it needs on it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final CrankPlatformExtension crank = CrankPlatformExtension.withController();
 *
 * @Test
 * void routesToEitherWorker() {
 *     HelloWorldWorker a = crank.platform().worker("crank-a", HelloWorldWorker::new);
 *     HelloWorldWorker b = crank.platform().worker("crank-b", HelloWorldWorker::new);
 *     crank.platform().awaitRegistered(a);
 *     crank.platform().awaitRegistered(b);
 * }
 * }</pre>
 */
public final class CrankPlatformExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final boolean controller;
    private Path dir;
    private CrankPlatform platform;
    private boolean perClass;

    private CrankPlatformExtension(boolean controller) {
        this.controller = controller;
    }

    /** Each platform starts with a running controller. */
    public static CrankPlatformExtension withController() {
        return new CrankPlatformExtension(true);
    }

    /** Each platform starts without one (see {@link CrankPlatform#startController}). */
    public static CrankPlatformExtension withoutController() {
        return new CrankPlatformExtension(false);
    }

    /** The running platform. */
    public CrankPlatform platform() {
        if (platform == null) {
            throw new IllegalStateException("no platform: register the extension with @RegisterExtension");
        }
        return platform;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
        perClass = true;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            perClass = false;
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (platform == null) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    private void open() {
        dir = TempDirs.create("crank-platform-");
        try {
            platform = controller ? CrankPlatform.start(dir) : CrankPlatform.withoutController(dir);
        } catch (RuntimeException | Error e) {
            TempDirs.delete(dir);
            throw e;
        }
    }

    private void close() {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            platform = null;
            TempDirs.delete(dir);
        }
    }
}
