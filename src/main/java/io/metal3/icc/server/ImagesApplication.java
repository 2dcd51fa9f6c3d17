package io.metal3.icc.server;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Images are served at the root, as upstream: {@code <publish-addr>/<name>}. */
@ApplicationPath("/")
public class ImagesApplication extends Application {
}
