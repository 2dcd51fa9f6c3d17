package io.metal3.icc.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.metal3.icc.demo.SampleImages;

/**
 * Inputs of the integration-test servers, written before they start: sample base images and NMState
 * files, and the kubeconfig of the mock API server (which may start a moment later: the controller
 * retries until it answers). Usage: {@code ItFixtures DIR API_PORT}.
 */
public final class ItFixtures {

    /** The directory Liberty keeps its servers in (pid files, logs). */
    static final Path SERVERS = Path.of(System.getProperty("liberty.servers.dir", "target/liberty/wlp/usr/servers"));

    private ItFixtures() {
    }

    /** messages.log of the static-mode server. */
    static Path staticServerLog() {
        return SERVERS.resolve("icc-static/logs/messages.log");
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SampleImages.generate(dir, 4L << 20);
        Files.writeString(dir.resolve("kubeconfig"), MockApiServerMain.kubeconfig(Integer.parseInt(args[1])));
    }
}
