package io.metal3.icc.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * fabric8's API server mock (CRUD mode) as a process of its own, started before Liberty in
 * pre-integration-test so that the server under test finds it through KUBECONFIG. Usage:
 * {@code MockApiServerMain PORT KUBECONFIG_OUT}. Stops after 30 minutes at the latest.
 */
public final class MockApiServerMain {

    private MockApiServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path kubeconfig = Path.of(args[1]);
        KubernetesMockServer server = io.metal3.icc.testing.MockApi.start(port);
        Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
        Files.writeString(kubeconfig, kubeconfig(port));
        System.out.println("mock API server listening on 127.0.0.1:" + port + ", kubeconfig " + kubeconfig);
        Thread.sleep(Duration.ofMinutes(30).toMillis());
        server.destroy();
    }

    static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: mock
                    namespace: metal3
                current-context: mock
                users:
                - name: mock
                  user:
                    token: not-checked
                """.formatted(port);
    }
}
