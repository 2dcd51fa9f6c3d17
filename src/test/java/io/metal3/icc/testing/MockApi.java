package io.metal3.icc.testing;

import java.net.InetAddress;
import java.util.HashMap;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's API server mock in CRUD mode (plain HTTP) that knows PreprovisioningImages and their
 * status subresource, and refuses stale writes as a real API server does ({@link StrictCrudDispatcher}).
 */
public final class MockApi {

    /** The mock logs every request at INFO; held so the level setting is not garbage-collected. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    private MockApi() {
    }

    /** @param port 0 for any free port */
    public static KubernetesMockServer start(int port) {
        return start(port, new StrictCrudDispatcher());
    }

    public static KubernetesMockServer start(int port, StrictCrudDispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        if (port == 0) {
            server.init();
        } else {
            server.init(InetAddress.getLoopbackAddress(), port);
        }
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("metal3.io")
                .withVersion("v1alpha1").withPlural("preprovisioningimages").withKind("PreprovisioningImage")
                .withScope("Namespaced").withStatusSubresource(true).build());
        return server;
    }
}
