package io.metal3.icc.controller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.metal3.icc.image.ImageFormat;

/**
 * Base images per architecture (upstream newest): DEPLOY_ISO/DEPLOY_INITRD are the host's; files
 * {@code <base>_<arch><ext>} or {@code <base>.<arch><ext>} beside them (or in IMAGE_SHARED_DIR) serve
 * other architectures. An architecture is supported when both an ISO and an initramfs exist.
 */
public final class BaseImages {

    private final Path iso;
    private final Path initrd;
    private final Optional<Path> sharedDir;
    private final String hostArch;

    public BaseImages(Path iso, Path initrd, Optional<Path> sharedDir, String hostArch) {
        this.iso = iso;
        this.initrd = initrd;
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

    public Optional<Path> find(String arch, ImageFormat format) {
        Path base = format == ImageFormat.ISO ? iso : initrd;
        if (arch != null && !arch.isEmpty()) {
            for (Path candidate : candidates(base, arch)) {
                if (Files.isReadable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        if (arch == null || arch.isEmpty() || arch.equals(hostArch)) {
            return Files.exists(base) ? Optional.of(base) : Optional.empty();
        }
        return Optional.empty();
    }

    public boolean supports(String arch) {
        return find(arch, ImageFormat.ISO).isPresent() && find(arch, ImageFormat.INITRD).isPresent();
    }

    public String help(String arch) {
        List<Path> isos = candidates(iso, arch);
        List<Path> initrds = candidates(initrd, arch);
        return "no base ISO and initramfs for architecture '" + arch + "'; provide " + isos.get(0) + " (or "
                + isos.get(1) + ") and " + initrds.get(0) + " (or " + initrds.get(1) + ")";
    }

    List<Path> candidates(Path base, String arch) {
        String file = base.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        Path dir = sharedDir.orElse(base.toAbsolutePath().getParent());
        return List.of(dir.resolve(stem + "_" + arch + ext), dir.resolve(stem + "." + arch + ext));
    }
}
