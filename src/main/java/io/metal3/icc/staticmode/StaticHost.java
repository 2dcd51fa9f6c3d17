package io.metal3.icc.staticmode;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One NMState file of the static-mode directory: {@code worker-0.yaml} serves
 * {@code worker-0.iso} and {@code worker-0.initramfs} for host {@code worker-0}.
 */
public record StaticHost(String fileName, String imageBaseName, String hostname, byte[] nmstate) {

    /**
     * Regular files of {@code dir} (links followed), sorted by name, not recursive. Names starting
     * with '.' are skipped: editor leftovers and the {@code ..data} links of mounted ConfigMaps.
     */
    public static List<StaticHost> scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("NMState directory " + dir + " does not exist or is not a directory");
        }
        List<StaticHost> hosts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(p)) {
                    continue;
                }
                hosts.add(new StaticHost(name, imageBaseName(name), hostname(name), Files.readAllBytes(p)));
            }
        }
        hosts.sort(Comparator.comparing(StaticHost::fileName));
        return hosts;
    }

    /** Upstream trims only ".yaml"; ".yml" is trimmed too so that worker-0.yml serves worker-0.iso. */
    static String imageBaseName(String fileName) {
        for (String ext : new String[] {".yaml", ".yml"}) {
            if (fileName.endsWith(ext) && fileName.length() > ext.length()) {
                return fileName.substring(0, fileName.length() - ext.length());
            }
        }
        return fileName;
    }

    /** File name without its last extension, as upstream. */
    static String hostname(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
