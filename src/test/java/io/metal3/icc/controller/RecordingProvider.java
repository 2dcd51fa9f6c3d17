package io.metal3.icc.controller;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.metal3.icc.provider.ImageProvider;

/** A provider whose outcome the test chooses; it records what it was asked to build and discard. */
class RecordingProvider implements ImageProvider {

    List<String> arches = new ArrayList<>(List.of("", "x86_64"));
    List<String> streams = new ArrayList<>(List.of(""));
    Exception failWith;
    final List<String> built = new ArrayList<>();
    final List<String> discarded = new ArrayList<>();
    Map<String, byte[]> lastNetworkData;
    int version = 1;

    @Override
    public boolean supportsArchitecture(String stream, String architecture) {
        return streams.contains(stream) && arches.contains(architecture);
    }

    @Override
    public String architectureHelp(String stream, String architecture) {
        return "no base images for " + architecture;
    }

    @Override
    public boolean supportsFormat(String format) {
        return format.equals("iso") || format.equals("initrd");
    }

    @Override
    public GeneratedImage buildImage(ImageData data, Map<String, byte[]> networkData) throws BuildInvalidException, IOException {
        lastNetworkData = networkData;
        if (failWith instanceof BuildInvalidException b) {
            throw b;
        }
        if (failWith instanceof IOException io) {
            throw io;
        }
        built.add(data.key());
        return GeneratedImage.of("http://images/" + data.key() + "-v" + version);
    }

    @Override
    public void discardImage(ImageData data) {
        discarded.add(data.key());
    }

    @Override
    public void discardAll(String namespace, String name) {
        discarded.add(namespace + "/" + name + "/*");
    }
}
