package dev.crank.runtime;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.ShutdownSignal;
import dev.crank.core.WorkerApplication;
import dev.crank.workers.WorkerCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code crank-runtime.jar} command line. */
@Command(name = "crank-runtime.jar", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        subcommands = {PkiCommand.class, InvokeCommand.class, WorkersCommand.class, CapabilitiesCommand.class, RouteCommand.class,
            HealthCommand.class},
        description = {
            "Runs the Crank controller, one worker, or the whole platform in one JVM.",
            "Flags override environment variables; environment variables override defaults.",
            "TLS: CRANK_TLS_CERT, CRANK_TLS_KEY, CRANK_TLS_CA (PEM); unset = dev PKI in <data dir>/pki.",
            "HTTP limits: CRANK_REQUEST_HEAD_TIMEOUT (default 10s), CRANK_MAX_CONNECTIONS (10000),",
            "CRANK_MAX_CONNECTIONS_PER_PEER (1000)."},
        footer = {"", "Examples:",
            "  java -jar crank-runtime.jar --all",
            "  java -jar crank-runtime.jar --role controller --port 9000",
            "  java -jar crank-runtime.jar --worker hello-world --controller-url https://localhost:9000",
            "  java -jar crank-runtime.jar pki init --dir crank-data/pki"})
public final class Main implements Callable<Integer> {

    @Option(names = "--role", paramLabel = "ROLE", description = "Run a role: controller.")
    String role;

    @Option(names = "--worker", paramLabel = "NAME", description = "Run one worker: ${sys:crank.workers}.")
    String worker;

    @Option(names = "--all", description = "Run the controller and every worker in one JVM (development).")
    boolean all;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Listen port (env CRANK_HTTPS_PORT; default: controller 9000, each worker its own).")
    Integer port;

    @Option(names = "--bind-host", paramLabel = "HOST", description = "Bind address (env CRANK_BIND_HOST; default 0.0.0.0).")
    String bindHost;

    @Option(names = "--controller-url", paramLabel = "URL",
            description = "Controller to register with, https only; a comma-separated list fails over in order "
                    + "(env CONTROLLER_URL; default: none = standalone).")
    String controllerUrl;

    @Option(names = "--advertise-url", paramLabel = "URL",
            description = "URL the controller hands out (env CRANK_ADVERTISE_URL; default https://localhost:<port>).")
    String advertiseUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "State and dev PKI (env CRANK_DATA_DIR; default ./crank-data).")
    Path dataDir;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
            description = "Worker heartbeat interval (env CRANK_HEARTBEAT_INTERVAL; default 30s).")
    String heartbeatInterval;

    @Option(names = "--registration-timeout", paramLabel = "DURATION",
            description = "Register/deregister timeout (env CRANK_REGISTRATION_TIMEOUT; default 5s).")
    String registrationTimeout;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION",
            description = "Graceful shutdown budget (env CRANK_SHUTDOWN_TIMEOUT; default 10s).")
    String shutdownTimeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION",
            description = "Controller: expiry without heartbeat (env CONTROLLER_HEARTBEAT_TIMEOUT; default 90s).")
    String heartbeatTimeout;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Controller: registry database (env CONTROLLER_STATE_FILE; default <data dir>/controller/registry.db; "
                    + "a registry.jsonl beside it is imported once).")
    Path stateFile;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Controller: which worker ids may provide which capabilities, a JSON file (env CONTROLLER_POLICY; "
                    + "default: none, any worker certificate may offer anything). See docs/operations.md.")
    Path policy;

    @Option(names = "--registry", paramLabel = "STORE",
            description = "Controller: where the registry lives, sqlite (embedded, one controller) or etcd (shared by several "
                    + "controllers) (env CRANK_REGISTRY; default sqlite).")
    String registry;

    @Option(names = "--etcd-endpoints", paramLabel = "URLS",
            description = "Controller with --registry etcd: the etcd members, https://host:port,... (env CRANK_ETCD_ENDPOINTS). "
                    + "TLS to etcd uses the controller's certificate and CA unless CRANK_ETCD_CERT, CRANK_ETCD_KEY, CRANK_ETCD_CA are set.")
    String etcdEndpoints;

    @Option(names = "--etcd-prefix", paramLabel = "PREFIX",
            description = "Controller with --registry etcd: the key prefix (env CRANK_ETCD_PREFIX; default /crank/v1/).")
    String etcdPrefix;

    private final Map<String, String> env;
    private final PrintWriter out;

    Main(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        System.setProperty("crank.workers", String.join(", ", WorkerCatalog.names()));
        CommandLine commandLine = new CommandLine(new Main(env, out));
        commandLine.setOut(out);
        commandLine.setErr(err);
        // invoke --data @file.json means a request body, not a picocli argument file.
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (cause.getCause() != null && cause instanceof IllegalStateException && cause.getMessage() == null) {
                cause = cause.getCause();
            }
            cmd.getErr().println("error: " + cause.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    PrintWriter out() {
        return out;
    }

    Settings settings() {
        return new Settings(this, env);
    }

    @Override
    public Integer call() throws Exception {
        int modes = (role != null ? 1 : 0) + (worker != null ? 1 : 0) + (all ? 1 : 0);
        if (modes != 1) {
            throw new IllegalArgumentException("choose exactly one of --role controller, --worker NAME or --all (see --help)");
        }
        Settings settings = settings();
        List<WorkerApplication> apps = new ArrayList<>();
        if (all) {
            apps.addAll(Platform.start(settings, out));
        } else if (role != null) {
            if (!role.equals("controller")) {
                throw new IllegalArgumentException("--role: '" + role + "' (expected: controller)");
            }
            apps.add(Platform.controller(settings, settings.port(Settings.CONTROLLER_PORT)).start());
        } else {
            WorkerCatalog.Entry entry = WorkerCatalog.find(worker).orElseThrow(() -> new IllegalArgumentException(
                    "--worker: unknown worker '" + worker + "' (expected one of: " + String.join(", ", WorkerCatalog.names()) + ")"));
            apps.add(entry.factory().apply(settings.worker(entry.workerId(), entry.defaultPort(), false).build()).start());
        }
        ShutdownSignal.await();
        List<WorkerApplication> reversed = new ArrayList<>(apps);
        Collections.reverse(reversed);
        reversed.parallelStream().filter(app -> !(app instanceof ControllerApplication)).forEach(WorkerApplication::close);
        reversed.stream().filter(ControllerApplication.class::isInstance).forEach(WorkerApplication::close);
        return 0;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"crank " + (version == null ? "dev" : version)};
        }
    }
}
