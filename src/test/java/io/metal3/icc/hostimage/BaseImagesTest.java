package io.metal3.icc.hostimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upstream's TestImagePattern / TestHasImagesForArchitecture / TestArchitectureFallback. */
class BaseImagesTest {

    @TempDir
    Path dir;

    BaseImages bases(Optional<Path> shared) throws Exception {
        Files.writeString(dir.resolve("ironic-python-agent.iso"), "host");
        Files.writeString(dir.resolve("ironic-python-agent.initramfs"), "host");
        return new BaseImages(dir.resolve("ironic-python-agent.iso"), dir.resolve("ironic-python-agent.initramfs"),
                Optional.of(dir.resolve("ironic-python-agent.kernel")), shared, "x86_64");
    }

    @Test
    void hostAndVariants() throws Exception {
        BaseImages b = bases(Optional.empty());
        Files.writeString(dir.resolve("ironic-python-agent_aarch64.iso"), "arm");
        Files.writeString(dir.resolve("ironic-python-agent.aarch64.initramfs"), "arm");
        Files.writeString(dir.resolve("ironic-python-agent_ppc64le.iso"), "p"); // no initramfs
        assertEquals(dir.resolve("ironic-python-agent.iso"), b.find("", "", BaseImages.Kind.ISO).orElseThrow());
        assertEquals(dir.resolve("ironic-python-agent.iso"), b.find("", "x86_64", BaseImages.Kind.ISO).orElseThrow(), "host fallback");
        assertEquals(dir.resolve("ironic-python-agent_aarch64.iso"), b.find("", "aarch64", BaseImages.Kind.ISO).orElseThrow());
        assertEquals(dir.resolve("ironic-python-agent.aarch64.initramfs"), b.find("", "aarch64", BaseImages.Kind.INITRD).orElseThrow());
        assertTrue(b.supports(""));
        assertTrue(b.supports("x86_64"));
        assertTrue(b.supports("aarch64"));
        assertFalse(b.supports("ppc64le"), "both formats are required");
        assertFalse(b.supports("riscv64"));
        assertTrue(b.help("", "riscv64").contains("ironic-python-agent_riscv64.iso"), b.help("", "riscv64"));
    }

    @Test
    void hostArchSpecificFileWinsOverTheFallback() throws Exception {
        BaseImages b = bases(Optional.empty());
        Files.writeString(dir.resolve("ironic-python-agent_x86_64.iso"), "specific");
        assertEquals(dir.resolve("ironic-python-agent_x86_64.iso"), b.find("", "x86_64", BaseImages.Kind.ISO).orElseThrow());
    }

    @Test
    void sharedDirectory() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        BaseImages b = bases(Optional.of(shared));
        Files.writeString(shared.resolve("ironic-python-agent_aarch64.iso"), "arm");
        Files.writeString(shared.resolve("ironic-python-agent_aarch64.initramfs"), "arm");
        assertTrue(b.supports("aarch64"));
        Files.writeString(dir.resolve("ironic-python-agent_s390x.iso"), "z");
        Files.writeString(dir.resolve("ironic-python-agent_s390x.initramfs"), "z");
        assertFalse(b.supports("s390x"), "with IMAGE_SHARED_DIR only that directory holds variants");
    }

    @Test
    void streamsHaveTheirOwnFilesAndNeverFallBack() throws Exception {
        BaseImages b = bases(Optional.empty());
        assertFalse(b.supports("rhel-10", ""), "no rhel-10 files: not the default ones either");
        Files.writeString(dir.resolve("ironic-python-agent-rhel-10.iso"), "r10");
        Files.writeString(dir.resolve("ironic-python-agent-rhel-10.initramfs"), "r10");
        Files.writeString(dir.resolve("ironic-python-agent-rhel-10_aarch64.iso"), "r10a");
        Files.writeString(dir.resolve("ironic-python-agent-rhel-10.aarch64.initramfs"), "r10a");
        Files.writeString(dir.resolve("ironic-python-agent-rhel-10_aarch64.kernel"), "k");
        assertTrue(b.supports("rhel-10", ""));
        assertTrue(b.supports("rhel-10", "x86_64"));
        assertTrue(b.supports("rhel-10", "aarch64"));
        assertFalse(b.supports("", "aarch64"), "stream files do not serve the default stream");
        assertEquals(dir.resolve("ironic-python-agent-rhel-10.iso"), b.find("rhel-10", "x86_64", BaseImages.Kind.ISO).orElseThrow());
        assertEquals(dir.resolve("ironic-python-agent-rhel-10.aarch64.initramfs"),
                b.find("rhel-10", "aarch64", BaseImages.Kind.INITRD).orElseThrow());
        assertEquals(dir.resolve("ironic-python-agent-rhel-10_aarch64.kernel"),
                b.find("rhel-10", "aarch64", BaseImages.Kind.KERNEL).orElseThrow());
        assertTrue(b.find("rhel-10", "x86_64", BaseImages.Kind.KERNEL).isEmpty());
        assertTrue(b.help("rhel-9", "aarch64").startsWith("no base ISO and initramfs for stream 'rhel-9' and architecture"
                + " 'aarch64'; provide " + dir.resolve("ironic-python-agent-rhel-9_aarch64.iso")), b.help("rhel-9", "aarch64"));
    }

    @Test
    void kernelsPerArchitecture() throws Exception {
        BaseImages b = bases(Optional.empty());
        assertTrue(b.find("", "", BaseImages.Kind.KERNEL).isEmpty(), "DEPLOY_KERNEL names a missing file");
        Files.writeString(dir.resolve("ironic-python-agent.kernel"), "k");
        Files.writeString(dir.resolve("ironic-python-agent_s390x.kernel"), "kz");
        assertEquals(dir.resolve("ironic-python-agent.kernel"), b.find("", "", BaseImages.Kind.KERNEL).orElseThrow());
        assertEquals(dir.resolve("ironic-python-agent_s390x.kernel"), b.find("", "s390x", BaseImages.Kind.KERNEL).orElseThrow());
        BaseImages none = new BaseImages(dir.resolve("ironic-python-agent.iso"), dir.resolve("ironic-python-agent.initramfs"),
                Optional.empty(), Optional.empty(), "x86_64");
        assertTrue(none.find("", "", BaseImages.Kind.KERNEL).isEmpty(), "no DEPLOY_KERNEL: no kernels");
    }

    @Test
    void architecturesAreWordsNotPaths() throws Exception {
        BaseImages b = bases(Optional.empty());
        Files.createDirectories(dir.resolve("ironic-python-agent_x"));
        Files.writeString(dir.resolve("secret.iso"), "not a base image");
        Files.writeString(dir.resolve("secret.initramfs"), "not a base image");
        assertFalse(b.supports("", "x/../secret"), "no path walking through spec.architecture");
        assertTrue(b.find("", "x/../secret", BaseImages.Kind.ISO).isEmpty());
        assertTrue(b.help("", "x/../y").contains("is not an architecture name"), b.help("", "x/../y"));
        assertTrue(b.find("../x", "", BaseImages.Kind.ISO).isEmpty(), "nor through the stream label");
    }

    @Test
    void hostArchitectureNames() {
        String a = BaseImages.hostArchitecture();
        assertFalse(a.equals("amd64") || a.equals("arm64"), a);
    }
}
