package dev.crank.runtime;

import dev.crank.core.DevPki;
import dev.crank.workers.WorkerCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pki init}: a development CA and a certificate for the controller, an admin and every worker. */
@Command(name = "pki", description = "Development PKI.", subcommands = PkiCommand.Init.class, mixinStandardHelpOptions = true)
final class PkiCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a dev CA (EC P-256) and certificates for controller, admin and every worker.")
    static final class Init implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Target folder (default: <data dir>/pki, i.e. crank-data/pki).")
        Path dir;

        @Option(names = "--p12-password", paramLabel = "PASSWORD",
                description = "Password of admin.p12, the browser certificate (default: generated and printed once).")
        String p12Password;

        @Override
        public Integer call() {
            Main main = (Main) spec.parent().parent().userObject();
            Path target = dir != null ? dir : main.settings().dataDir().resolve("pki");
            DevPki pki = DevPki.open(target);
            pki.controllerMaterial();
            pki.adminMaterial("admin");
            WorkerCatalog.entries().forEach(entry -> pki.workerMaterial(entry.workerId()));
            spec.commandLine().getOut().printf("Development PKI ready in %s (ca.crt, controller, admin and %d workers)%n",
                    target.toAbsolutePath(), WorkerCatalog.entries().size());
            if (p12Password != null || !Files.exists(target.resolve(AdminPkcs12.FILE))) {
                AdminPkcs12.write(pki, Optional.ofNullable(p12Password), spec.commandLine().getOut());
            } else {
                spec.commandLine().getOut().printf("%s exists; its password was printed when it was written "
                        + "(--p12-password writes a new one)%n", target.resolve(AdminPkcs12.FILE));
            }
            return 0;
        }
    }
}
