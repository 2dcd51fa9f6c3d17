package io.metal3.icc.ignition;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code processURLs}: a comma list of URLs, each given the default port when it has
 * none and the default path appended when it does not already end with it. Unlike upstream, items
 * are trimmed, a trailing '/' does not double the slash, and an item that is not an absolute
 * http(s) URL is an error instead of being dropped or garbled.
 */
public final class IronicUrls {

    public static final int IRONIC_PORT = 6385;
    public static final int INSPECTOR_PORT = 5050;
    public static final String INSPECTOR_PATH = "/v1/continue";

    private IronicUrls() {
    }

    public static String process(String setting, String list, String defaultPath, int defaultPort)
            throws IgnitionBuildException {
        List<String> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String item = raw.strip();
            if (!item.isEmpty()) {
                out.add(one(setting, item, defaultPath, defaultPort));
            }
        }
        return String.join(",", out);
    }

    private static String one(String setting, String item, String defaultPath, int defaultPort)
            throws IgnitionBuildException {
        URI uri;
        try {
            uri = new URI(item);
        } catch (URISyntaxException e) {
            throw new IgnitionBuildException(setting + " entry '" + item + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IgnitionBuildException(setting + " entry '" + item
                    + "' is not an absolute http(s) URL; write it as e.g. https://192.0.2.1 or https://[2001:db8::1]");
        }
        if (uri.getHost() == null) {
            throw new IgnitionBuildException(setting + " entry '" + item
                    + "' has no host (IPv6 addresses must be in brackets: https://[2001:db8::1])");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!defaultPath.isEmpty() && !path.endsWith(defaultPath)) {
            path = stripTrailingSlashes(path) + defaultPath;
        }
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (uri.getRawUserInfo() != null) {
            sb.append(uri.getRawUserInfo()).append('@');
        }
        sb.append(uri.getHost()).append(':').append(port).append(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            sb.append('#').append(uri.getRawFragment());
        }
        return sb.toString();
    }

    private static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
