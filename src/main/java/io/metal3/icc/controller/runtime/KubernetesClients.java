package io.metal3.icc.controller.runtime;

import java.time.Duration;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The fabric8 client as the controller uses it: in-cluster, KUBECONFIG or ~/.kube/config. */
public final class KubernetesClients {

    /** First retry of a failed list/watch; fabric8 doubles it five times at most. */
    static final Duration FIRST_RETRY_INTERVAL = Duration.ofMillis(125);
    static final Duration MAX_RETRY_INTERVAL = FIRST_RETRY_INTERVAL.multipliedBy(32);

    private KubernetesClients() {
    }

    public static KubernetesClient create() {
        Config config = Config.autoConfigure(null);
        // Informers retry 125 ms, 250 ms, ... 4 s apart while the API is away: back within seconds of
        // its return (one list request per informer every 4 s is no load for an API server). fabric8's own per-request retries (10 by default, ~19 s) would stretch each
        // attempt; 2 are enough for a blip.
        config.setWatchReconnectInterval((int) FIRST_RETRY_INTERVAL.toMillis());
        config.setRequestRetryBackoffLimit(2);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
