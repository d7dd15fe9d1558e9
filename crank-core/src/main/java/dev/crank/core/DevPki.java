package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development certificate authority in a folder: {@code ca.crt}, {@code ca.key} and
 * {@code <name>.crt} + {@code <name>.key} per identity. EC P-256, SANs {@code localhost},
 * {@code 127.0.0.1} and the identity's SPIFFE URI; keys are written {@code 0600}. Several processes
 * may open the same folder at once: creation is guarded by a file lock.
 *
 * <p>For development and tests only; production operators bring their own PEM files.
 *
 * <pre>{@code
 * DevPki pki = DevPki.open(Path.of("crank-data/pki"));
 * TlsMaterial tls = pki.workerMaterial("crank-hello-world");
 * }</pre>
 */
public final class DevPki {

    private static final Logger logger = LoggerFactory.getLogger(DevPki.class);
    private static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1");
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Object JVM_LOCK = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private DevPki(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Opens the CA in {@code dir}, creating the folder and the CA when they do not exist yet. */
    public static DevPki open(Path dir) {
        requireNonNull(dir, "dir");
        return locked(dir, () -> {
            Path caCrt = dir.resolve("ca.crt");
            Path caKey = dir.resolve("ca.key");
            if (!Files.exists(caCrt) || !Files.exists(caKey)) {
                logger.warn("Creating a DEVELOPMENT certificate authority in {}; "
                        + "production deployments must set CRANK_TLS_CERT, CRANK_TLS_KEY and CRANK_TLS_CA", dir.toAbsolutePath());
                KeyPair pair = newKeyPair();
                X500Name name = new X500Name("CN=Crank Development CA,O=Crank");
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
                X509Certificate certificate = sign(builder, pair.getPrivate());
                writeKey(caKey, pair.getPrivate());
                writeAtomically(caCrt, pem(certificate));
                return new DevPki(dir, certificate, pair.getPrivate());
            }
            return new DevPki(dir, readCertificate(caCrt), readKey(caKey));
        });
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The material of worker {@code workerId} ({@code <workerId>.crt}), issued on first use. */
    public TlsMaterial workerMaterial(String workerId) {
        return material(workerId, PeerIdentity.worker(workerId));
    }

    /** The controller's material ({@code controller.crt}), issued on first use. */
    public TlsMaterial controllerMaterial() {
        return material("controller", PeerIdentity.controller());
    }

    /** An operator's material ({@code admin.crt} for the name {@code admin}), issued on first use. */
    public TlsMaterial adminMaterial(String name) {
        return material(name, PeerIdentity.admin(name));
    }

    /** The material stored as {@code <fileName>.crt/.key}, issued for {@code identity} if absent. */
    public TlsMaterial material(String fileName, PeerIdentity identity) {
        requireNonNull(fileName, "fileName");
        requireNonNull(identity, "identity");
        TlsMaterial material = new TlsMaterial(dir.resolve(fileName + ".crt"), dir.resolve(fileName + ".key"), caCertificate());
        if (Files.exists(material.certificateChain()) && Files.exists(material.privateKey())) {
            return material;
        }
        return locked(dir, () -> {
            if (!Files.exists(material.certificateChain()) || !Files.exists(material.privateKey())) {
                Instant now = Instant.now();
                issue(fileName, identity, LOCAL_HOSTS, now.minus(Duration.ofMinutes(5)), now.plus(LEAF_VALIDITY));
            }
            return material;
        });
    }

    /**
     * Like {@link #writePkcs12} but only when {@code <fileName>.p12} does not exist yet, under the
     * folder's lock (several processes may start at once); true when this call wrote it.
     */
    public boolean createPkcs12(String fileName, char[] password) {
        requireNonNull(fileName, "fileName");
        return locked(dir, () -> {
            if (Files.exists(dir.resolve(fileName + ".p12"))) {
                return false;
            }
            writePkcs12(fileName, password);
            return true;
        });
    }

    /**
     * Writes {@code <fileName>.p12} (owner-only): the key and certificate of {@code <fileName>.crt/.key}
     * followed by the CA certificate, protected by {@code password}. Browsers import client
     * certificates in this form (docs/operations.md).
     */
    public Path writePkcs12(String fileName, char[] password) {
        requireNonNull(fileName, "fileName");
        requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password: empty (expected: at least one character)");
        }
        Path crt = dir.resolve(fileName + ".crt");
        Path key = dir.resolve(fileName + ".key");
        Path target = dir.resolve(fileName + ".p12");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("crank " + fileName, readKey(key), password,
                    new java.security.cert.Certificate[] {readCertificate(crt), caCertificate});
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            store.store(bytes, password);
            writeAtomically(target, bytes.toByteArray());
            return target;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
    }

    /**
     * Issues (and overwrites) {@code <fileName>.crt/.key} for {@code identity}, valid for the given
     * host names and IP addresses between the given instants. Tests use it for expired certificates
     * and wrong host names.
     */
    public TlsMaterial issue(String fileName, PeerIdentity identity, List<String> hosts, Instant notBefore, Instant notAfter) {
        requireNonNull(identity, "identity");
        return issueWithUriNames(fileName, List.of(identity.uri().toString()), hosts, notBefore, notAfter);
    }

    /**
     * Issues {@code <fileName>.crt/.key} with exactly the given URI SANs, Crank identities or not
     * (none, two, a percent-encoded one...): tests use it to show what the platform makes of them.
     */
    public TlsMaterial issueWithUriNames(String fileName, List<String> uriNames, List<String> hosts, Instant notBefore, Instant notAfter) {
        requireNonNull(fileName, "fileName");
        requireNonNull(uriNames, "uriNames");
        requireNonNull(hosts, "hosts");
        KeyPair pair = newKeyPair();
        try {
            X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
            X500Name subject = new X500Name("CN=" + fileName + ",O=Crank");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                boolean ip = host.matches("[0-9.]+") || host.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            for (String uri : uriNames) {
                names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = sign(builder, caKey);
            Path key = dir.resolve(fileName + ".key");
            Path crt = dir.resolve(fileName + ".crt");
            writeKey(key, pair.getPrivate());
            writeAtomically(crt, pem(certificate));
            logger.debug("Issued a development certificate for {} in {}", uriNames, crt);
            return new TlsMaterial(crt, key, caCertificate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + uriNames, e);
        }
    }

    private interface Action<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    private static <T> T locked(Path dir, Action<T> action) {
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    return action.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use the development PKI in " + dir, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot use the development PKI in " + dir, e);
            }
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeKey(Path path, PrivateKey key) throws IOException {
        writeAtomically(path, pem(new JcaPKCS8Generator(key, null)));
    }

    /** Writes owner-only (0600) to a temporary file, then renames it over {@code path}. */
    private static void writeAtomically(Path path, String content) throws IOException {
        writeAtomically(path, content.getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeAtomically(Path path, byte[] content) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, content);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate readCertificate(Path path) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IOException(path + ": expected a PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }
}
