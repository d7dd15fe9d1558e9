package dev.crank.workers.image;

import java.util.Map;

/**
 * Keeps DJL off the network. Unless told otherwise, DJL's engine start-up may download native
 * libraries and calls an EC2 metadata address for usage tracking. Both are switched off here, as
 * system properties, before the first DJL class initialises: {@code ai.djl.offline=true} and
 * {@code OPT_OUT_TRACKING=true}. DJL lets the environment variables {@code DJL_OFFLINE} and
 * {@code OPT_OUT_TRACKING} override those properties, so a process whose environment says
 * {@code false} for either is refused. Every class of this package that touches DJL calls
 * {@link #configure()} first.
 */
public final class OfflineDjl {

    static {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private OfflineDjl() {}

    /**
     * Idempotent; throws if the environment asks DJL to go online. Also gives PyTorch one intra-op
     * and one inter-op thread unless {@code -Dai.djl.pytorch.num_threads} /
     * {@code -Dai.djl.pytorch.num_interop_threads} say otherwise: requests already run in
     * parallel, and PyTorch's own thread pool spinning beside them costs more than it gains.
     */
    public static void configure() {
        requireOfflineEnvironment(System.getenv());
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    static void requireOfflineEnvironment(Map<String, String> env) {
        for (String name : new String[] {"DJL_OFFLINE", "OPT_OUT_TRACKING"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank() && !Boolean.parseBoolean(value.strip())) {
                throw new IllegalStateException(name + "=" + value + " is refused: it would let DJL contact the network "
                        + "(expected: unset or true)");
            }
        }
    }
}
