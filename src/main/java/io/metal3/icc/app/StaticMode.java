package io.metal3.icc.app;

import io.metal3.icc.config.Settings;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.serving.ServingState;
import io.metal3.icc.staticmode.StaticImageLoader;
import io.metal3.icc.staticmode.StaticModeException;

/** Static mode: the images of NMSTATE_DIR, registered once; ready from then on. */
final class StaticMode implements Mode {

    private final ServingState.Readiness ready;

    private StaticMode(int images) {
        this.ready = new ServingState.Readiness(true, "static mode: " + images + " images", "");
    }

    static Mode start(Settings settings, ImageRegistry registry) throws StaticModeException {
        StaticImageLoader.load(settings, registry);
        return new StaticMode(registry.size());
    }

    @Override
    public ServingState.Readiness readiness() {
        return ready;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public void stepDown() {
        // nothing to hand over
    }

    @Override
    public void close() {
        // nothing held
    }
}
