package io.metal3.icc.provider;

import java.io.IOException;
import java.util.Map;
import io.metal3.icc.crd.SecretStatus;

/** Builds and discards images: upstream's ImageProvider, with the reconciler's view of it. */
public interface ImageProvider {

    /** Base images exist for this CoreOS stream ("" = default) and architecture. */
    boolean supportsArchitecture(String stream, String architecture);

    /** Why a stream and architecture are not supported, for the condition message. */
    String architectureHelp(String stream, String architecture);

    boolean supportsFormat(String format);

    /**
     * @return the URL of the image
     * @throws BuildInvalidException the inputs cannot give an image until they change
     * @throws IOException           a failure that may pass (unreadable file, nmstatectl not runnable)
     */
    GeneratedImage buildImage(ImageData data, Map<String, byte[]> networkData) throws BuildInvalidException, IOException;

    /** What a build gives the status: the image URL and, for PXE (initrd) boots, kernel URL and parameters. */
    record GeneratedImage(String imageUrl, String kernelUrl, String extraKernelParams) {
        public static GeneratedImage of(String imageUrl) {
            return new GeneratedImage(imageUrl, null, null);
        }
    }

    void discardImage(ImageData data);

    /** Discards every image of one PreprovisioningImage, whatever it was built from (deleted, handed over). */
    void discardAll(String namespace, String name);

    /** What an image is built from. */
    record ImageData(String namespace, String name, String uid, String stream, String format, String architecture,
                     SecretStatus networkData) {
        /**
         * upstream's cache key: {@code <namespace>-<name>-<uid>-<architecture>.<format>}, with
         * {@code -<stream>} before the architecture for a stream (so URLs of unlabelled images keep
         * their names across this version).
         */
        public String key() {
            return namespace + "-" + name + "-" + uid + "-" + (stream == null || stream.isEmpty() ? "" : stream + "-")
                    + (architecture == null ? "" : architecture) + "." + format;
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
