package dev.crank.runtime;

import dev.crank.core.DevPki;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * {@code admin.p12} beside the dev PKI's {@code admin.crt}: the operator's certificate in the form
 * browsers import. Its password is chosen by the operator ({@code --p12-password}) or generated and
 * printed exactly once, when the file is written; it is stored nowhere.
 */
final class AdminPkcs12 {

    static final String FILE = "admin.p12";
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminPkcs12() {}

    /** Writes {@code admin.p12} when it does not exist yet (the first dev start). */
    static void writeIfAbsent(DevPki pki, PrintWriter out) {
        if (Files.exists(pki.dir().resolve(FILE))) {
            return;
        }
        String secret = generate();
        if (pki.createPkcs12("admin", secret.toCharArray())) {
            printed(pki.dir().resolve(FILE), Optional.of(secret), out);
        }
    }

    /** Writes (or rewrites) {@code admin.p12} and prints where it is and, once, its password. */
    static Path write(DevPki pki, Optional<String> password, PrintWriter out) {
        pki.adminMaterial("admin");
        String secret = password.orElseGet(AdminPkcs12::generate);
        Path file = pki.writePkcs12("admin", secret.toCharArray());
        printed(file, password.isEmpty() ? Optional.of(secret) : Optional.empty(), out);
        return file;
    }

    private static void printed(Path file, Optional<String> generatedPassword, PrintWriter out) {
        out.printf("Browser certificate: %s%n", file.toAbsolutePath());
        generatedPassword.ifPresent(secret -> out.printf("  its password (shown only now): %s%n", secret));
        out.println("  import it into Chromium or Firefox to open the console at /ui (docs/operations.md).");
        out.flush();
    }

    static String generate() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
