package io.metal3.icc.controller;

import java.io.IOException;
import java.util.Map;

/** Builds and discards images: upstream's ImageProvider, with the reconciler's view of it. */
public interface ImageProvider {

    boolean supportsArchitecture(String architecture);

    /** Why an architecture is not supported, for the condition message. */
    String architectureHelp(String architecture);

    boolean supportsFormat(String format);

    /**
     * @return the URL of the image
     * @throws BuildInvalidException the inputs cannot give an image until they change
     * @throws IOException           a failure that may pass (unreadable file, nmstatectl not runnable)
     */
    String buildImage(ImageData data, Map<String, byte[]> networkData) throws BuildInvalidException, IOException;

    void discardImage(ImageData data);

    /** Discards every image of one PreprovisioningImage, whatever it was built from (deleted, handed over). */
    void discardAll(String namespace, String name);

    /** What an image is built from. */
    record ImageData(String namespace, String name, String uid, String format, String architecture,
                     SecretStatus networkData) {
        /** upstream's cache key: {@code <namespace>-<name>-<uid>-<architecture>.<format>} */
        public String key() {
            return namespace + "-" + name + "-" + uid + "-" + (architecture == null ? "" : architecture) + "." + format;
        }
    }

    /** upstream's ImageBuildInvalid. */
    class BuildInvalidException extends Exception {
        public BuildInvalidException(String message) {
            super(message);
        }

        /** "Cannot generate image: <cause>", as upstream writes it. */
        @Override
        public String getMessage() {
            return "Cannot generate image: " + super.getMessage();
        }
    }
}
