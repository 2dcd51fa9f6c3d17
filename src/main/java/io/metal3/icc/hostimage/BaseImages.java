package io.metal3.icc.hostimage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Base images per stream and architecture (upstream newest and its in-flight stream support):
 * DEPLOY_ISO, DEPLOY_INITRD and DEPLOY_KERNEL are the host's; beside them (or in IMAGE_SHARED_DIR)
 * {@code <base>_<arch><ext>} or {@code <base>.<arch><ext>} serve other architectures, and
 * {@code <base>-<stream><ext>} / {@code <base>-<stream>_<arch><ext>} a CoreOS stream. A stream never
 * falls back to the default images (upstream did, silently): its files must exist. An architecture is
 * supported when both an ISO and an initramfs exist.
 */
public final class BaseImages {

    /** What a base file is for. */
    public enum Kind { ISO, INITRD, KERNEL }

    private final Path iso;
    private final Path initrd;
    private final Optional<Path> kernel;
    private final Optional<Path> sharedDir;
    private final String hostArch;

    public BaseImages(Path iso, Path initrd, Optional<Path> kernel, Optional<Path> sharedDir, String hostArch) {
        this.iso = iso;
        this.initrd = initrd;
        this.kernel = kernel;
        this.sharedDir = sharedDir;
        this.hostArch = hostArch;
    }

    /** The JVM's architecture under the names PreprovisioningImages use. */
    public static String hostArchitecture() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> a;
        };
    }

    public String hostArch() {
        return hostArch;
    }

    /** The architecture an empty {@code spec.architecture} means. */
    public String resolve(String arch) {
        return arch == null || arch.isEmpty() ? hostArch : arch;
    }

    public boolean kernelsConfigured() {
        return kernel.isPresent();
    }

    /** Architectures become parts of file names: a word (upstream's \\w+), nothing that walks paths. */
    static boolean validArchitecture(String arch) {
        return arch == null || arch.isEmpty() || arch.matches("[A-Za-z0-9_]{1,32}");
    }

    public Optional<Path> find(String stream, String arch, Kind kind) {
        if (!validArchitecture(arch) || !Streams.valid(stream)) {
            return Optional.empty();
        }
        Optional<Path> base = switch (kind) {
            case ISO -> Optional.of(iso);
            case INITRD -> Optional.of(initrd);
            case KERNEL -> kernel;
        };
        if (base.isEmpty()) {
            return Optional.empty();
        }
        for (Path candidate : candidates(base.get(), stream, arch)) {
            if (Files.isReadable(candidate) || (candidate.equals(base.get()) && Files.exists(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public boolean supports(String stream, String arch) {
        return find(stream, arch, Kind.ISO).isPresent() && find(stream, arch, Kind.INITRD).isPresent();
    }

    /** The default stream, for readiness: the host's own images. */
    public boolean supports(String arch) {
        return supports("", arch);
    }

    public String help(String stream, String arch) {
        if (!validArchitecture(arch)) {
            return "'" + arch + "' is not an architecture name (letters, digits and '_', such as x86_64 or aarch64)";
        }
        List<Path> isos = candidates(iso, stream, arch);
        List<Path> initrds = candidates(initrd, stream, arch);
        return "no base ISO and initramfs for " + (stream.isEmpty() ? "" : "stream '" + stream + "' and ")
                + "architecture '" + resolve(arch) + "'; provide " + isos.get(0) + " (or " + isos.get(1) + ") and "
                + initrds.get(0) + " (or " + initrds.get(1) + ")";
    }

    public String kernelHelp(String stream, String arch) {
        return kernel.map(k -> candidates(k, stream, arch).get(0).toString()).orElse("DEPLOY_KERNEL");
    }

    /** Where the file of a stream and architecture may be, most specific first. */
    List<Path> candidates(Path base, String stream, String arch) {
        String file = base.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        Path dir = sharedDir.orElse(base.toAbsolutePath().getParent());
        String s = stream.isEmpty() ? stem : stem + "-" + stream;
        List<Path> out = new ArrayList<>();
        if (arch != null && !arch.isEmpty()) {
            out.add(dir.resolve(s + "_" + arch + ext));
            out.add(dir.resolve(s + "." + arch + ext));
        }
        if (arch == null || arch.isEmpty() || arch.equals(hostArch)) {
            out.add(stream.isEmpty() ? base : dir.resolve(s + ext));
        }
        if (out.size() == 1) {
            out.add(out.get(0));
        }
        return out;
    }
}
