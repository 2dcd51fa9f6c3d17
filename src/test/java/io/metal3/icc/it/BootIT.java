package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.metal3.icc.controller.Conditions;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageStatus;
import io.metal3.icc.nmstate.NetworkKeyfile;
import io.metal3.icc.nmstate.NmstateConverter;
import io.metal3.icc.testing.Hosts;
import io.metal3.icc.testing.LibertyServer;
import io.metal3.icc.testing.MockApi;
import io.metal3.icc.testing.Tools;

/**
 * Hosts boot: a CoreOS-like live ISO built from Debian packages (src/test/boot/build-base.sh) is
 * served by real servers, in static and in controller mode, and booted under QEMU (TCG) as hosts
 * boot: the ISO read over HTTP by QEMU's curl block driver like a BMC's virtual media, under SeaBIOS
 * and OVMF, and iPXE fetching the kernel and initramfs URLs of an initrd PreprovisioningImage. The
 * guest's kernel unpacks the Ignition archive and its init prints what it found; Debian's Ignition
 * then applies that config to a scratch root and the files it writes are compared with what the
 * server built for the host. Skipped, with a banner, when the tools are missing (bash .ci/run
 * installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final Path DIR = IT_DIR.resolve("boot");
    static final Path SCRIPTS = Path.of("src/test/boot").toAbsolutePath();
    static final String NS = "metal3";
    static final String PULL_SECRET = "{\"auths\":{\"quay.io\":{\"auth\":\"Ym9vdDp0ZXN0\"}}}";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTheBootTestOnly0000000000000000 boot@icc";
    static final String ROOTFS = "http://192.0.2.10/images/ironic-python-agent.rootfs";
    static final String STATIC_NMSTATE = "interfaces:\n- name: ens3\n  type: ethernet\n  state: up\n  ipv4:\n"
            + "    enabled: true\n    address:\n    - ip: 192.0.2.50\n      prefix-length: 24\n";
    static final String ISO_NMSTATE = "interfaces:\n- name: eno1\n  type: ethernet\n  state: up\n  ipv4:\n"
            + "    enabled: true\n    dhcp: true\n  ipv6:\n    enabled: true\n    autoconf: true\n    dhcp: true\n";
    static final String INITRD_NMSTATE = "interfaces:\n- name: bond0\n  type: bond\n  state: up\n  link-aggregation:\n"
            + "    mode: active-backup\n    port: [eno1, eno2]\n  ipv4:\n    enabled: true\n    dhcp: true\n";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path ignition;
    static LibertyServer staticServer;
    static LibertyServer controllerServer;
    static KubernetesMockServer api;
    static KubernetesClient client;
    static final List<String> timings = new ArrayList<>();

    /** What the guest printed. */
    record Boot(String output, double seconds, boolean done, String cmdline, String config) {
        boolean found() {
            return config != null;
        }
    }

    @BeforeAll
    static void buildAndServe() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("qemu-system-x86_64", "xorriso", "cpio", "grub-mkimage", "mkfs.vfat", "mcopy")) {
            if (!Tools.available(tool)) {
                missing.add(tool);
            }
        }
        for (String file : List.of("/usr/lib/ISOLINUX/isolinux.bin", "/usr/lib/syslinux/modules/bios/ldlinux.c32",
                "/bin/busybox", "/usr/lib/grub/x86_64-efi/linux.mod", "/usr/share/ovmf/OVMF.fd",
                "/usr/lib/ipxe/qemu/efi-e1000.rom", "/usr/lib/x86_64-linux-gnu/qemu/block-curl.so")) {
            if (!Files.exists(Path.of(file))) {
                missing.add(file);
            }
        }
        Optional<Path> kernel = kernel();
        if (kernel.isEmpty()) {
            missing.add("a kernel (target/ci-tools/kernel/boot/vmlinuz-*, or -Dit.boot.kernel=…)");
        }
        ignition = Path.of("/usr/lib/dracut/modules.d/30ignition/ignition");
        if (!Files.isExecutable(ignition)) {
            missing.add(ignition.toString());
        }
        if (!missing.isEmpty()) {
            String banner = "*".repeat(100);
            System.err.println(banner + "\n* BootIT SKIPPED: hosts are NOT booted. Missing: " + missing
                    + "\n* bash .ci/run installs them (Debian: qemu-system-x86 qemu-block-extra ovmf ipxe-qemu isolinux"
                    + " syslinux-common grub-efi-amd64-bin mtools dosfstools busybox-static ignition, and a linux-image"
                    + " kernel).\n" + banner);
            Assumptions.abort("boot tools missing: " + missing);
        }
        Tools.sh(IT_DIR, "rm -rf boot && mkdir -p boot/a boot/b boot/nmstate");
        long t0 = System.nanoTime();
        for (String d : List.of("a", "b")) {
            Tools.Result r = Tools.run(DIR, List.of("sh", SCRIPTS.resolve("build-base.sh").toString(), d,
                    kernel.get().toAbsolutePath().toString()));
            assertEquals(0, r.exit(), "build-base.sh: " + r.stdout() + r.stderr());
        }
        timings.add(String.format("base built twice in %.1f s", (System.nanoTime() - t0) / 1e9));
        for (String f : List.of("base.iso", "base.initramfs")) {
            assertEquals(sha256(Files.readAllBytes(DIR.resolve("a").resolve(f))), sha256(Files.readAllBytes(DIR.resolve("b").resolve(f))),
                    f + " is the same on every build");
        }
        Path base = DIR.resolve("a");
        Files.writeString(DIR.resolve("nmstate/worker-0.yaml"), STATIC_NMSTATE);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DEPLOY_ISO", base.resolve("base.iso").toAbsolutePath().toString());
        env.put("DEPLOY_INITRD", base.resolve("base.initramfs").toAbsolutePath().toString());
        env.put("IRONIC_BASE_URL", "http://192.0.2.10");
        env.put("IRONIC_AGENT_IMAGE", "quay.io/metal3-io/ironic-agent:boot-test");
        env.put("IRONIC_AGENT_PULL_SECRET", Base64.getEncoder().encodeToString(PULL_SECRET.getBytes(StandardCharsets.UTF_8)));
        env.put("IRONIC_RAMDISK_SSH_KEY", SSH_KEY);
        env.put("ICC_DRAIN_FILE", DIR.resolve("drain").toAbsolutePath().toString());
        Map<String, String> staticEnv = new LinkedHashMap<>(env);
        staticEnv.put("NMSTATE_DIR", DIR.resolve("nmstate").toAbsolutePath().toString());
        int staticPort = freePort();
        staticEnv.put("IMAGES_PUBLISH_ADDR", "http://127.0.0.1:" + staticPort);
        staticServer = LibertyServer.start(ItFixtures.SERVERS, "icc-static", "icc-boot-static", staticEnv, staticPort);

        api = MockApi.start(0);
        client = api.createClient();
        Path kubeconfig = DIR.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockApiServerMain.kubeconfig(api.getPort()));
        int controllerPort = freePort();
        Map<String, String> controllerEnv = new LinkedHashMap<>(env);
        controllerEnv.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        controllerEnv.put("WATCH_NAMESPACE", NS);
        controllerEnv.put("DEPLOY_KERNEL", base.resolve("base.kernel").toAbsolutePath().toString());
        controllerEnv.put("IRONIC_ROOTFS_URL", ROOTFS);
        // The address the guest reaches the host at (QEMU's user network): URLs in statuses use it.
        controllerEnv.put("IMAGES_PUBLISH_ADDR", "http://10.0.2.2:" + controllerPort);
        controllerServer = LibertyServer.start(ItFixtures.SERVERS, "icc-static", "icc-boot-controller", controllerEnv,
                controllerPort);
        staticServer.awaitReady(Duration.ofSeconds(90));
        controllerServer.awaitReady(Duration.ofSeconds(90));
        create("boot-iso", "iso", ISO_NMSTATE);
        create("boot-initrd", "initrd", INITRD_NMSTATE);
    }

    @AfterAll
    static void stop() {
        if (staticServer != null) {
            staticServer.close();
        }
        if (controllerServer != null) {
            controllerServer.close();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.destroy();
        }
        System.out.println("BOOT: " + String.join("; ", timings));
    }

    static Optional<Path> kernel() throws IOException {
        String given = System.getProperty("it.boot.kernel", "");
        if (!given.isEmpty()) {
            return Optional.of(Path.of(given)).filter(Files::isReadable);
        }
        Path boot = Path.of("target/ci-tools/kernel/boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (var files = Files.list(boot)) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).sorted().findFirst();
        }
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void create(String name, String format, String nmstate) {
        Hosts.create(client, NS, name, format, nmstate);
    }

    static PreprovisioningImageStatus readyStatus(String name) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            PreprovisioningImage p = client.resources(PreprovisioningImage.class).inNamespace(NS).withName(name).get();
            if (p != null && Conditions.isTrue(p.status().getConditions(), Conditions.READY)) {
                return p.status();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not Ready within 30 s");
    }

    /** The guest's URL of an image, as the host reaches it. */
    static String onHost(String url) {
        return url.replace("//10.0.2.2:", "//127.0.0.1:");
    }

    static Boot boot(String what, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPTS.resolve("boot-vm.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("BOOT_TIMEOUT", "90");
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.writeString(DIR.resolve(what.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".log"), out);
        timings.add(String.format("%s %.1f s", what, seconds));
        Matcher cmdline = Pattern.compile("ICC-BOOT: cmdline: (.*)").matcher(out);
        int i = out.indexOf("--- the guest's /config.ign:\n");
        String config = i < 0 ? null : out.substring(i + 29).lines().findFirst().orElse("");
        return new Boot(out, seconds, p.exitValue() == 0, cmdline.find() ? cmdline.group(1).strip() : null, config);
    }

    static String lastLines(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    static Boot assertBooted(Boot b, String what) {
        assertTrue(b.done(), what + ": the guest did not finish booting; last serial lines:\n" + lastLines(b.output()));
        return b;
    }

    static byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    /** The Ignition inside a served ISO, read by xorriso, gzip and cpio. */
    static String servedIsoIgnition(String url, String name) throws Exception {
        Path work = Files.createDirectories(DIR.resolve("x-" + name));
        Files.write(work.resolve("served.iso"), get(url));
        return Tools.ignitionFromIso(work, "served.iso", "/images/ignition.img");
    }

    /** The Ignition appended to a served initramfs: what follows the base, read by gzip and cpio. */
    static String servedInitramfsIgnition(String url, String name) throws Exception {
        Path work = Files.createDirectories(DIR.resolve("x-" + name));
        byte[] served = get(url);
        byte[] base = Files.readAllBytes(DIR.resolve("a/base.initramfs"));
        Files.write(work.resolve("appended.img"), java.util.Arrays.copyOfRange(served, base.length, served.length));
        Files.createDirectories(work.resolve("x"));
        Tools.sh(work.resolve("x"), "gzip -dc < ../appended.img | cpio -idm --quiet");
        return Files.readString(work.resolve("x/config.ign"));
    }

    /**
     * Debian's Ignition (2.14, the binary of its dracut module) applies {@code config} to a scratch
     * root; returns that root.
     */
    static Path applyIgnition(String config, String name) throws Exception {
        Tools.sh(DIR, "rm -rf 'ign-" + name + "'");
        Path work = Files.createDirectories(DIR.resolve("ign-" + name));
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("home/core"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\ncore:x:1000:1000:CoreOS Admin:/home/core:/bin/bash\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ncore:x:1000:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\ncore:!::\n");
        // Ignition reads the SELinux mode and relabels what it wrote with setfiles: no policy here.
        Files.createDirectories(root.resolve("etc/selinux"));
        Files.writeString(root.resolve("etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
        Tools.sh(work, "chown 1000:1000 root/home/core && chmod 0700 root/home/core");
        // Ignition relabels for SELinux with setfiles; the scratch root has no policy: a no-op.
        Files.createDirectories(work.resolve("bin"));
        Files.writeString(work.resolve("bin/setfiles"), "#!/bin/sh\nexit 0\n");
        Tools.sh(work, "chmod +x bin/setfiles");
        Files.writeString(work.resolve("config.ign"), config);
        for (String stage : List.of("fetch-offline", "fetch", "files")) {
            ProcessBuilder pb = new ProcessBuilder(ignition.toString(), "-platform", "file", "-stage", stage,
                    "-root", root.toAbsolutePath().toString(), "-config-cache", work.resolve("cache.json").toAbsolutePath().toString(),
                    "-log-to-stdout").redirectErrorStream(true);
            pb.environment().put("IGNITION_CONFIG_FILE", work.resolve("config.ign").toAbsolutePath().toString());
            pb.environment().put("PATH", work.resolve("bin").toAbsolutePath() + ":" + System.getenv("PATH"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Files.writeString(work.resolve(stage + ".log"), out);
            assertEquals(0, p.exitValue(), "ignition -stage " + stage + ":\n" + lastLines(out));
        }
        return root;
    }

    /** The files Debian's Ignition wrote are those the server built for the host, with their modes and owners. */
    static void assertHostFiles(Path root, String nmstate) throws Exception {
        for (NetworkKeyfile k : NmstateConverter.convert(nmstate.getBytes(StandardCharsets.UTF_8))) {
            Path f = root.resolve("etc/NetworkManager/system-connections/" + k.fileName());
            assertFile(f, 0600, 0, sha256(k.content().getBytes(StandardCharsets.UTF_8)));
        }
        assertFile(root.resolve("etc/authfile.json"), 0600, 0, sha256(PULL_SECRET.getBytes(StandardCharsets.UTF_8)));
        Path unit = root.resolve("etc/systemd/system/ironic-agent.service");
        assertFile(unit, 0644, 0, null);
        assertTrue(Files.readString(unit).contains("quay.io/metal3-io/ironic-agent:boot-test"), "the agent unit runs the agent image");
        String keys = Files.readString(root.resolve("home/core/.ssh/authorized_keys.d/ignition"));
        assertEquals(SSH_KEY, keys.strip(), "the SSH key, for core");
        assertEquals(1000, ((Integer) Files.getAttribute(root.resolve("home/core/.ssh/authorized_keys.d/ignition"), "unix:uid")).intValue());
    }

    static void assertFile(Path f, int mode, int uid, String sha) throws Exception {
        assertTrue(Files.isRegularFile(f), f + " written");
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class);
        int m = 0;
        for (var p : a.permissions()) {
            m |= 1 << (8 - p.ordinal());
        }
        assertEquals(Integer.toOctalString(mode), Integer.toOctalString(m), f + " mode");
        assertEquals(uid, ((Integer) Files.getAttribute(f, "unix:uid")).intValue(), f + " owner");
        if (sha != null) {
            assertEquals(sha, sha256(Files.readAllBytes(f)), f + " content");
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    @Order(1)
    void staticModeIsoBootsUnderSeaBiosFromTheUrl() throws Exception {
        String url = staticServer.base() + "/worker-0.iso";
        Boot b = assertBooted(boot("static ISO, SeaBIOS, virtual media over HTTP", "iso", url, "bios"), "static ISO (BIOS)");
        assertTrue(b.found(), "the kernel found /config.ign:\n" + lastLines(b.output()));
        assertEquals(servedIsoIgnition(url, "static"), b.config(), "the guest's /config.ign is the one served for worker-0");
        assertTrue(b.cmdline().contains("initrd=/images/pxeboot/initrd.img,/images/ignition.img"), b.cmdline());
        assertHostFiles(applyIgnition(b.config(), "static"), STATIC_NMSTATE);
    }

    @Test
    @Order(2)
    void controllerModeIsoBootsUnderOvmfFromTheStatusUrl() throws Exception {
        PreprovisioningImageStatus s = readyStatus("boot-iso");
        assertEquals("iso", s.getFormat());
        String url = onHost(s.getImageUrl());
        Boot b = assertBooted(boot("controller ISO, OVMF (UEFI), virtual media over HTTP", "iso", url, "uefi"),
                "controller ISO (UEFI)");
        assertTrue(b.found(), "the kernel found /config.ign:\n" + lastLines(b.output()));
        assertEquals(servedIsoIgnition(url, "controller-iso"), b.config(), "the guest's /config.ign is the one served for boot-iso");
        assertHostFiles(applyIgnition(b.config(), "controller-iso"), ISO_NMSTATE);
    }

    @Test
    @Order(3)
    void controllerModeInitrdBootsWithIpxeFromKernelUrlAndImageUrl() throws Exception {
        PreprovisioningImageStatus s = readyStatus("boot-initrd");
        assertEquals("initrd", s.getFormat());
        assertTrue(s.getKernelUrl().endsWith("/kernel-x86_64"), s.getKernelUrl());
        assertEquals("coreos.live.rootfs_url=" + ROOTFS, s.getExtraKernelParams());
        Boot b = assertBooted(boot("controller initrd, iPXE", "pxe", s.getKernelUrl(), s.getImageUrl(), s.getExtraKernelParams()),
                "controller initrd (iPXE)");
        assertTrue(b.found(), "the kernel found /config.ign in the appended archive:\n" + lastLines(b.output()));
        assertEquals(servedInitramfsIgnition(onHost(s.getImageUrl()), "controller-initrd"), b.config());
        assertTrue(b.cmdline().contains(s.getExtraKernelParams()), "extraKernelParams reach the kernel: " + b.cmdline());
        assertHostFiles(applyIgnition(b.config(), "controller-initrd"), INITRD_NMSTATE);
    }

    @Test
    @Order(4)
    void theUnmodifiedBaseFindsNoConfig() throws Exception {
        Path base = DIR.resolve("a/base.iso").toAbsolutePath();
        Boot b = assertBooted(boot("unmodified base ISO, SeaBIOS", "iso", base.toString(), "bios"), "base ISO");
        assertFalse(b.found());
        assertTrue(b.output().contains("ICC-BOOT: no config.ign"), lastLines(b.output()));
    }

    @Test
    @Order(5)
    void aDeletedHostFailsVisibly() throws Exception {
        String url = onHost(readyStatus("boot-iso").getImageUrl());
        client.resources(PreprovisioningImage.class).inNamespace(NS).withName("boot-iso").delete();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 404) {
            if (System.nanoTime() > end) {
                fail("a deleted host's image still answers: " + url);
            }
            Thread.sleep(100);
        }
        Boot b = boot("deleted host's URL", "iso", url, "bios");
        assertFalse(b.done());
        assertTrue(b.output().contains("404"), "the 404 is in what QEMU says:\n" + lastLines(b.output()));
    }
}
