package io.metal3.icc.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.crd.PreprovisioningImageStatus;
import io.metal3.icc.crd.SecretStatus;
import io.metal3.icc.provider.ImageProvider;

/** The reconcile algorithm, the requeue matrix (spec §3.6) and BMO's reconciler tests (§9.3–9.4). */
class ReconcilerTest {

    static final String NS = "openshift-machine-api";
    final InMemoryCluster cluster = new InMemoryCluster();
    final RecordingProvider provider = new RecordingProvider();
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    Reconciler reconciler;

    @BeforeEach
    void setUp() {
        reconciler = new Reconciler(cluster, provider, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        });
    }

    static PreprovisioningImage ppi(String name, String secret, String arch, String... formats) {
        PreprovisioningImage p = new PreprovisioningImage();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).withUid("uid-" + name)
                .withGeneration(1L).build());
        PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
        spec.setNetworkDataName(secret);
        spec.setArchitecture(arch);
        spec.setAcceptFormats(new ArrayList<>(List.of(formats)));
        p.setSpec(spec);
        return p;
    }

    static Secret secret(String name, Map<String, String> data) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata();
        data.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return b.build();
    }

    Reconciler.Result run(String name) {
        return reconciler.reconcile(NS, name);
    }

    PreprovisioningImage get(String name) {
        return cluster.get(NS, name);
    }

    static Condition cond(PreprovisioningImage p, String type) {
        return Conditions.find(p.getStatus().getConditions(), type).orElseThrow();
    }

    /** Drives the three-step happy path: finalizer, config recorded, image built. */
    void converge(String name) {
        for (int i = 0; i < 3; i++) {
            run(name);
        }
    }

    @Test
    void happyPathTakesThreeReconcilesAndThenWritesNothing() {
        cluster.put(ppi("host-0", "", "x86_64", "iso"));
        assertEquals(Reconciler.Result.DONE, run("host-0"));
        assertEquals(List.of(PreprovisioningImage.FINALIZER), get("host-0").getMetadata().getFinalizers());
        assertNull(get("host-0").getStatus(), "step 1 only adds the finalizer");

        assertEquals(Reconciler.Result.DONE, run("host-0"));
        PreprovisioningImage p = get("host-0");
        assertEquals("False", cond(p, "Ready").getStatus());
        assertEquals("Config changed", cond(p, "Ready").getMessage());
        assertEquals("ImageSuccess", cond(p, "Ready").getReason());
        assertEquals("False", cond(p, "Error").getStatus());
        assertEquals("iso", p.getStatus().getFormat());
        assertEquals("x86_64", p.getStatus().getArchitecture());
        assertTrue(provider.built.isEmpty(), "nothing is built before the config is recorded");

        assertEquals(Reconciler.Result.DONE, run("host-0"));
        p = get("host-0");
        assertEquals("True", cond(p, "Ready").getStatus());
        assertEquals("Generated image", cond(p, "Ready").getMessage());
        assertEquals(1L, cond(p, "Ready").getObservedGeneration());
        assertEquals("http://images/" + NS + "-host-0-uid-host-0-x86_64.iso-v1", p.getStatus().getImageUrl());
        assertEquals(List.of("Normal ImageReady: Generated iso image"), cluster.events);

        int writes = cluster.statusWrites;
        run("host-0");
        run("host-0");
        assertEquals(writes, cluster.statusWrites, "no-op reconciles write nothing (upstream always wrote)");
    }

    @Test
    void formatIsTheFirstAcceptableInSpecOrder() {
        cluster.put(ppi("h", "", "", "initrd", "iso"));
        converge("h");
        assertEquals("initrd", get("h").getStatus().getFormat());
        cluster.put(ppi("g", "", "", "vhd", "iso"));
        converge("g");
        assertEquals("iso", get("g").getStatus().getFormat());
    }

    @Test
    void unsupportedArchitectureIsAConfigurationErrorAndTheSecretIsNotClaimed() {
        cluster.put(secret("net", Map.of("nmstate", "interfaces: []")));
        cluster.put(ppi("h", "net", "ppc64le", "iso"));
        run("h");
        Reconciler.Result r = run("h");
        assertEquals(Reconciler.Result.DONE, r, "no requeue");
        PreprovisioningImage p = get("h");
        assertEquals("ConfigurationError", cond(p, "Error").getReason());
        assertTrue(cond(p, "Error").getMessage().startsWith("Architecture not supported"));
        assertEquals("", cond(p, "Ready").getMessage());
        assertEquals(0, cluster.secretWrites);
        assertTrue(cluster.events.get(0).startsWith("Warning ConfigurationError: Architecture not supported"));
    }

    @Test
    void noAcceptableFormat() {
        cluster.put(ppi("h", "", "", "vhd"));
        run("h");
        run("h");
        assertTrue(cond(get("h"), "Error").getMessage().startsWith("No acceptable image format supported"));
        cluster.put(ppi("e", "", ""));
        run("e");
        run("e");
        assertEquals("ConfigurationError", cond(get("e"), "Error").getReason());
    }

    @Test
    void missingSecretRequeuesWithGrowingDelayThenRecovers() {
        cluster.put(ppi("h", "net", "", "iso"));
        run("h");
        Reconciler.Result r = run("h");
        assertEquals(Duration.ofSeconds(10), r.requeueAfter());
        assertNull(r.error());
        PreprovisioningImage p = get("h");
        assertEquals("MissingNetworkData", cond(p, "Error").getReason());
        assertTrue(cond(p, "Error").getMessage().startsWith("NetworkData secret not found"));
        assertEquals("MissingNetworkData", cond(p, "Ready").getReason());

        now = now.plusSeconds(30);
        assertEquals(Duration.ofSeconds(40), run("h").requeueAfter());
        now = now.plusSeconds(3600);
        assertEquals(Duration.ofMinutes(10), run("h").requeueAfter(), "capped at 10 minutes");

        cluster.put(secret("net", Map.of("nmstate", "interfaces: []")));
        run("h");
        run("h");
        p = get("h");
        assertEquals("True", cond(p, "Ready").getStatus());
        assertEquals("False", cond(p, "Error").getStatus());
        assertEquals("interfaces: []", new String(provider.lastNetworkData.get("nmstate"), StandardCharsets.UTF_8));
    }

    @Test
    void secretIsClaimedWithLabelAndOwnerReferenceOnce() {
        Secret s = secret("net", Map.of("nmstate", "x"));
        s.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder().withApiVersion("metal3.io/v1alpha1")
                .withKind("BareMetalHost").withName("h").withUid("bmh-uid").withController(true).build())));
        cluster.put(s);
        cluster.put(ppi("h", "net", "", "iso"));
        converge("h");
        Secret claimed = cluster.secret(NS, "net").orElseThrow();
        assertEquals("baremetal", claimed.getMetadata().getLabels().get("environment.metal3.io"));
        assertEquals(2, claimed.getMetadata().getOwnerReferences().size(), "other owners kept");
        var mine = claimed.getMetadata().getOwnerReferences().get(1);
        assertEquals("uid-h", mine.getUid());
        assertEquals("PreprovisioningImage", mine.getKind());
        assertNull(mine.getController());
        assertEquals(1, cluster.secretWrites);
        PreprovisioningImage p = get("h");
        assertEquals(new SecretStatus("net", claimed.getMetadata().getResourceVersion()), p.getStatus().getNetworkData(),
                "the version after our own claim, so the claim causes no rebuild");
        run("h");
        assertEquals(1, cluster.secretWrites, "claimed once");
    }

    @Test
    void ourControllerReferenceIsReplacedByAPlainOne() {
        Secret s = secret("net", Map.of("nmstate", "x"));
        s.getMetadata().setLabels(Map.of("environment.metal3.io", "baremetal"));
        s.getMetadata().setOwnerReferences(new ArrayList<>(List.of(new OwnerReferenceBuilder().withApiVersion("metal3.io/v1alpha1")
                .withKind("PreprovisioningImage").withName("h").withUid("uid-h").withController(true).build())));
        cluster.put(s);
        cluster.put(ppi("h", "net", "", "iso"));
        converge("h");
        var refs = cluster.secret(NS, "net").orElseThrow().getMetadata().getOwnerReferences();
        assertEquals(1, refs.size());
        assertNull(refs.get(0).getController());
    }

    @Test
    void secretEditRebuildsInThreeStepsAndDiscardsTheOldImage() {
        cluster.put(secret("net", Map.of("nmstate", "v1")));
        cluster.put(ppi("h", "net", "", "iso"));
        converge("h");
        String oldUrl = get("h").getStatus().getImageUrl();
        assertNotNull(oldUrl);

        Secret edited = cluster.secret(NS, "net").orElseThrow();
        edited.getData().put("nmstate", Base64.getEncoder().encodeToString("v2".getBytes()));
        cluster.put(edited);
        provider.version = 2;

        run("h"); // setUnready: the old image stays until this lands
        assertEquals("False", cond(get("h"), "Ready").getStatus());
        assertEquals(oldUrl, get("h").getStatus().getImageUrl());
        assertTrue(provider.discarded.isEmpty());
        run("h"); // discard + record
        assertEquals(1, provider.discarded.size());
        assertEquals("", get("h").getStatus().getImageUrl() == null ? "" : get("h").getStatus().getImageUrl());
        run("h"); // build
        assertEquals("True", cond(get("h"), "Ready").getStatus());
        assertFalse(oldUrl.equals(get("h").getStatus().getImageUrl()));
        assertEquals("v2", new String(provider.lastNetworkData.get("nmstate")));
    }

    /** BMO TestConfigChanged: format, architecture, network data version, empty status. */
    @Test
    void configChanges() {
        cluster.put(ppi("h", "", "x86_64", "iso"));
        converge("h");
        int built = provider.built.size();
        PreprovisioningImage p = get("h");
        p.getSpec().setArchitecture("");
        provider.arches = List.of("", "x86_64");
        cluster.put(p);
        run("h");
        run("h");
        run("h");
        String arch = get("h").getStatus().getArchitecture();
        assertTrue(arch == null || arch.isEmpty(), arch);
        assertEquals(built + 1, provider.built.size(), "architecture change rebuilt");

        p = get("h");
        p.getSpec().setAcceptFormats(new ArrayList<>(List.of("initrd")));
        cluster.put(p);
        converge("h");
        assertEquals("initrd", get("h").getStatus().getFormat());
        assertTrue(provider.discarded.stream().anyMatch(k -> k.endsWith(".iso")));
    }

    @Test
    void buildInvalidIsTerminalWithUpstreamsMessage() {
        provider.failWith = new ImageProvider.BuildInvalidException("network data Secret provided but missing required 'nmstate' key");
        cluster.put(ppi("h", "", "", "iso"));
        run("h");
        run("h");
        Reconciler.Result r = run("h");
        assertEquals(Reconciler.Result.DONE, r);
        Condition err = cond(get("h"), "Error");
        assertEquals("ImageBuildInvalid", err.getReason());
        assertEquals("Cannot generate image: network data Secret provided but missing required 'nmstate' key", err.getMessage());
        assertNull(get("h").getStatus().getImageUrl());
    }

    @Test
    void otherFailuresAreVisibleAndRetried() {
        provider.failWith = new IOException("CA_BUNDLE file does not exist");
        cluster.put(ppi("h", "", "", "iso"));
        run("h");
        run("h");
        Reconciler.Result r = run("h");
        assertNotNull(r.error(), "rate-limited retry");
        Condition err = cond(get("h"), "Error");
        assertEquals("ImageBuildFailed", err.getReason());
        assertTrue(err.getMessage().contains("CA_BUNDLE file does not exist"));
        assertTrue(cluster.events.stream().anyMatch(e -> e.startsWith("Warning ImageBuildFailed")));
        provider.failWith = null;
        assertNull(run("h").error());
        assertEquals("True", cond(get("h"), "Ready").getStatus());
    }

    @Test
    void longMessagesAreTruncatedToTheCrdLimit() {
        provider.failWith = new ImageProvider.BuildInvalidException("x".repeat(100_000));
        cluster.put(ppi("h", "", "", "iso"));
        converge("h");
        String m = cond(get("h"), "Error").getMessage();
        assertEquals(Conditions.MAX_MESSAGE, m.length());
        assertTrue(m.endsWith("(truncated)"));
    }

    /** BMO TestReconcileDeleteProceedsWithOnlyOwnFinalizer. */
    @Test
    void deletionDiscardsAndRemovesTheFinalizer() {
        cluster.put(ppi("h", "", "", "iso"));
        converge("h");
        PreprovisioningImage p = get("h");
        p.getMetadata().setDeletionTimestamp("2026-11-24T10:05:00Z");
        cluster.put(p);
        assertEquals(Reconciler.Result.DONE, run("h"));
        assertEquals(1, provider.discarded.size());
        assertTrue(cluster.image(NS, "h").isEmpty(), "gone once our finalizer is removed");
    }

    /** BMO TestReconcileDeleteWaitsForOtherFinalizers. */
    @Test
    void deletionWaitsForOtherFinalizers() {
        cluster.put(ppi("h", "", "", "iso"));
        converge("h");
        PreprovisioningImage p = get("h");
        p.getMetadata().getFinalizers().add("baremetalhost.metal3.io/preprovisioningImage");
        p.getMetadata().setDeletionTimestamp("2026-11-24T10:05:00Z");
        cluster.put(p);
        assertEquals(Reconciler.Result.DONE, run("h"));
        assertEquals(2, get("h").getMetadata().getFinalizers().size());
        assertTrue(provider.discarded.isEmpty());
    }

    @Test
    void ppiThatGainsTheInfraenvLabelIsReleased() {
        cluster.put(ppi("h", "", "", "iso"));
        converge("h");
        PreprovisioningImage p = get("h");
        p.getMetadata().setLabels(Map.of(PreprovisioningImage.INFRAENV_LABEL, "my-infraenv"));
        cluster.put(p);
        int writes = cluster.statusWrites;
        run("h");
        assertTrue(get("h").getMetadata().getFinalizers().isEmpty());
        assertEquals(List.of(NS + "-h-uid-h-.iso", NS + "/h/*"), provider.discarded, "its image, then anything else of it");
        assertEquals(writes + 1, cluster.statusWrites);
        assertFalse(Conditions.isTrue(get("h").getStatus().getConditions(), Conditions.READY), "not Ready");
        assertEquals(null, get("h").getStatus().getImageUrl(), "no URL that answers 404");
    }

    @Test
    void streamLabelsSelectTheirImagesAndBadOnesAreConfigurationErrors() {
        PreprovisioningImage p = ppi("s", "", "", "iso");
        p.getMetadata().setLabels(Map.of(PreprovisioningImage.STREAM_LABEL, "rhel-10"));
        cluster.put(p);
        converge("s");
        Condition err = cond(get("s"), "Error");
        assertEquals(Conditions.CONFIGURATION_ERROR, err.getReason(), "no rhel-10 base images");
        assertTrue(err.getMessage().startsWith("Stream or architecture not supported: "), err.getMessage());
        provider.streams.add("rhel-10");
        run("s");
        run("s");
        assertTrue(Conditions.isTrue(get("s").getStatus().getConditions(), "Ready"));
        assertEquals(List.of(NS + "-s-uid-s-rhel-10-.iso"), provider.built, "the stream is part of the key");

        PreprovisioningImage bad = ppi("b", "", "", "iso");
        bad.getMetadata().setLabels(Map.of(PreprovisioningImage.STREAM_LABEL, "../../etc"));
        cluster.put(bad);
        converge("b");
        assertTrue(cond(get("b"), "Error").getMessage().startsWith("Invalid CoreOS stream: label coreos.openshift.io/stream"),
                cond(get("b"), "Error").getMessage());
    }

    @Test
    void deletedSecretDropsTheImage() {
        cluster.put(secret("net", Map.of("nmstate", "interfaces: []")));
        cluster.put(ppi("h", "net", "", "iso"));
        converge("h");
        cluster.secrets.clear();
        provider.discarded.clear();
        run("h");
        assertEquals(List.of(NS + "/h/*"), provider.discarded);
        assertEquals(Conditions.MISSING_NETWORK_DATA, Conditions.find(get("h").getStatus().getConditions(), Conditions.ERROR)
                .orElseThrow().getReason());
    }

    @Test
    void deletedObjectsAreIgnored() {
        assertEquals(Reconciler.Result.DONE, run("never-existed"));
    }

    @Test
    void staleWritesFailAndAreRetried() {
        InMemoryCluster racing = new InMemoryCluster() {
            @Override
            public PreprovisioningImage updateStatus(PreprovisioningImage img, PreprovisioningImageStatus status) {
                throw new IllegalStateException("conflict: the object has been modified");
            }
        };
        racing.put(ppi("h", "", "", "iso"));
        Reconciler r = new Reconciler(racing, provider, Clock.fixed(now, ZoneOffset.UTC));
        r.reconcile(NS, "h");
        assertNotNull(r.reconcile(NS, "h").error());
    }

    @Test
    void secretClaimFailureIsVisibleAndRetried() {
        InMemoryCluster forbidden = new InMemoryCluster() {
            @Override
            public Secret updateSecret(Secret secret) {
                throw new IllegalStateException("secrets \"net\" is forbidden: cannot update");
            }
        };
        forbidden.put(secret("net", Map.of("nmstate", "x")));
        forbidden.put(ppi("h", "net", "", "iso"));
        Reconciler r = new Reconciler(forbidden, provider, Clock.fixed(now, ZoneOffset.UTC));
        r.reconcile(NS, "h");
        assertNotNull(r.reconcile(NS, "h").error());
        Condition err = Conditions.find(forbidden.get(NS, "h").getStatus().getConditions(), "Error").orElseThrow();
        assertEquals("ImageBuildFailed", err.getReason());
        assertTrue(err.getMessage().contains("cannot read or claim Secret net: secrets \"net\" is forbidden"), err.getMessage());
        assertTrue(forbidden.events.get(0).startsWith("Warning ImageBuildFailed"));
    }

    @Test
    void retryDelayFormula() {
        PreprovisioningImageStatus s = new PreprovisioningImageStatus();
        Conditions.set(s.getConditions(), "Error", true, "MissingNetworkData", "m", 1L, now);
        assertEquals(Duration.ofSeconds(10), Reconciler.retryDelay(s, now));
        assertEquals(Duration.ofSeconds(25), Reconciler.retryDelay(s, now.plusSeconds(15)));
        assertEquals(Duration.ofMinutes(10), Reconciler.retryDelay(s, now.plusSeconds(86_400)));
    }

    @Test
    void conditionTransitionTimeMovesOnlyOnFlips() {
        List<Condition> cs = new ArrayList<>();
        Conditions.set(cs, "Ready", false, "ImageSuccess", "a", 1L, now);
        String t0 = cs.get(0).getLastTransitionTime();
        Conditions.set(cs, "Ready", false, "ImageSuccess", "b", 2L, now.plusSeconds(60));
        assertEquals(t0, cs.get(0).getLastTransitionTime());
        Conditions.set(cs, "Ready", true, "ImageSuccess", "c", 2L, now.plusSeconds(120));
        assertEquals("2026-11-24T10:02:00Z", cs.get(0).getLastTransitionTime());
    }
}
