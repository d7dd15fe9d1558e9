package dev.crank.bench;

import java.util.Arrays;

/**
 * {@code java -jar crank-bench/target/crank-bench.jar COMMAND [--option value ...]}; see docs/benchmarks.md.
 * Benchmark output goes to standard output on purpose: these are command-line tools, not library code.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "load" -> LoadCommand.run(new Args(rest));
            case "registry" -> RegistryBench.run(new Args(rest));
            case "expiry" -> ExpiryBench.run(new Args(rest));
            case "etcd" -> EtcdBench.run(new Args(rest));
            case "gateway" -> GatewayBench.run(new Args(rest));
            case "throughput" -> ThroughputBench.run(new Args(rest));
            case "handshake" -> HandshakeBench.run(new Args(rest));
            case "lifecycle" -> LifecycleBench.run(new Args(rest));
            case "memory" -> MemoryBench.run(new Args(rest));
            case "streams" -> StreamBench.run(new Args(rest));
            case "jfr-top" -> JfrTop.run(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("unknown command '" + argv[0] + "'");
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar crank-bench.jar COMMAND [--option value ...]
                  load        load a running platform over mTLS (--url --path --body [--rate] --connections --duration --warmup --pki)
                  registry    in-process controller: heartbeats/s, /route latency, registrations/s per registry size (--sizes)
                  expiry      in-process controller: /route latency while N workers expire and are evicted (--size --expiry)
                  etcd        in-process controllers on a real etcd member: registrations/s, heartbeats/s, /route, fail-over,
                              each beside etcd's own rate (--workers --connections --warmup --duration --lease-ttl --route-rate --failovers --phases)
                  gateway     in-process: /invoke via the controller vs direct to hello-world, open loop (--rate --rounds)
                  throughput  in-process hello-world, closed loop keep-alive (--connections --via direct|gateway)
                  handshake   full mTLS handshakes/s, OpenSSL vs JDK provider, alternating rounds in one run
                  lifecycle   processes of crank-runtime.jar: start-up to registered, RSS, kill -9 to unroutable, --all RSS
                  memory      heap per registered worker (in-process registry)
                  streams     in-process: controller relay buffer and heap under many slow streams (--streams --size --pause)
                  jfr-top     hottest frames of a JFR recording (FILE [--top 25])
                  jmh         JMH microbenchmarks (arguments go to org.openjdk.jmh.Main, e.g. jmh -l)
                """);
    }
}
