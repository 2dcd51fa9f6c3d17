package io.metal3.icc.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import io.metal3.icc.testing.MockApi;
import io.metal3.icc.testing.StrictCrudDispatcher;

/**
 * The API server of the two replicas (icc-ha-a, icc-ha-b), started by the first test that needs it
 * (ControllerHaIT, 30 s after the servers) and kept for the later ones (failsafe runs the classes
 * alphabetically, in one JVM) until that JVM ends.
 */
final class HaApi {

    static final StrictCrudDispatcher DISPATCHER = new StrictCrudDispatcher();
    private static KubernetesMockServer server;
    private static KubernetesClient client;

    private HaApi() {
    }

    static synchronized KubernetesClient client() {
        if (server == null) {
            server = MockApi.start(Integer.getInteger("it.ha.api.port", 18088), DISPATCHER);
            client = server.createClient();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                server.destroy();
            }, "ha-api-stop"));
        }
        return client;
    }
}
