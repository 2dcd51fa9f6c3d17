package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.junit.jupiter.api.Test;

import io.metal3.icc.config.Settings;
import io.metal3.icc.testing.Tools;

/** k8s/: every manifest parses into its typed model, and holds what the product relies on. */
class ManifestsTest {

    static final Path K8S = Path.of("k8s");

    @SuppressWarnings("unchecked")
    static List<HasMetadata> all() throws IOException {
        Map<String, Object> kustomization = new org.yaml.snakeyaml.Yaml().load(Files.readString(K8S.resolve("kustomization.yaml")));
        List<HasMetadata> out = new ArrayList<>();
        for (String file : (List<String>) kustomization.get("resources")) {
            for (String doc : Files.readString(K8S.resolve(file)).split("(?m)^---$")) {
                try (InputStream in = new java.io.ByteArrayInputStream(doc.getBytes())) {
                    HasMetadata r = Serialization.unmarshal(in);
                    assertNotNull(r.getMetadata().getName(), file);
                    out.add(r);
                }
            }
        }
        return out;
    }

    static <T> T one(Class<T> type) throws IOException {
        List<T> found = all().stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName());
        return found.get(0);
    }

    @Test
    void kinds() throws IOException {
        assertEquals(Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment",
                "Service", "PodDisruptionBudget"),
                new HashSet<>(all().stream().map(HasMetadata::getKind).toList()));
    }

    @Test
    void rbacIsLeastPrivilege() throws IOException {
        List<PolicyRule> rules = one(ClusterRole.class).getRules();
        Map<String, Set<String>> verbs = new java.util.HashMap<>();
        for (PolicyRule r : rules) {
            assertFalse(r.getVerbs().contains("*") || r.getResources().contains("*"), "no wildcards");
            for (String res : r.getResources()) {
                verbs.computeIfAbsent(res, k -> new HashSet<>()).addAll(r.getVerbs());
            }
        }
        assertEquals(Set.of("get", "list", "watch", "update", "patch"), verbs.get("preprovisioningimages"));
        assertEquals(Set.of("get", "update", "patch"), verbs.get("preprovisioningimages/status"));
        assertEquals(Set.of("get", "list", "watch", "update", "patch"), verbs.get("secrets"));
        assertEquals(Set.of("create", "patch"), verbs.get("events"));
        Role leases = one(Role.class);
        assertEquals(1, leases.getRules().size());
        assertEquals(List.of("coordination.k8s.io"), leases.getRules().get(0).getApiGroups());
        assertEquals(List.of("leases"), leases.getRules().get(0).getResources());
        assertEquals(Set.of("get", "create", "update"), new HashSet<>(leases.getRules().get(0).getVerbs()));
        RoleBinding rb = one(RoleBinding.class);
        assertEquals(leases.getMetadata().getName(), rb.getRoleRef().getName());
        assertEquals(one(ServiceAccount.class).getMetadata().getName(), rb.getSubjects().get(0).getName());
        ClusterRoleBinding b = one(ClusterRoleBinding.class);
        assertEquals(one(ClusterRole.class).getMetadata().getName(), b.getRoleRef().getName());
        assertEquals(one(ServiceAccount.class).getMetadata().getName(), b.getSubjects().get(0).getName());
    }

    @Test
    void deployment() throws IOException {
        Deployment d = one(Deployment.class);
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals(one(ServiceAccount.class).getMetadata().getName(), pod.getServiceAccountName());
        assertEquals(2, d.getSpec().getReplicas(), "every replica serves every image");
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals("kubernetes.io/hostname", pod.getTopologySpreadConstraints().get(0).getTopologyKey());
        assertEquals(d.getSpec().getSelector().getMatchLabels(),
                pod.getTopologySpreadConstraints().get(0).getLabelSelector().getMatchLabels());
        // The period counts from the start of the preStop hook: drain, then the download grace, then exit.
        long drain = Long.parseLong(pod.getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("ICC_DRAIN_SECONDS")).findFirst().orElseThrow().getValue());
        assertTrue(drain >= 5, "a drain long enough for nodes to stop sending connections: " + drain);
        assertTrue(pod.getTerminationGracePeriodSeconds() >= drain + 20 + 5,
                "drain + download grace (20 s) + time to exit: " + pod.getTerminationGracePeriodSeconds());
        var c = pod.getContainers().get(0);
        assertEquals("/machine-image-customization-controller", c.getCommand().get(0));
        assertEquals("/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath());
        // The preStop hook is the launcher's drain script, where the Containerfile puts it.
        List<String> hook = c.getLifecycle().getPreStop().getExec().getCommand();
        assertEquals(List.of("/usr/local/icc/icc-drain"), hook);
        assertTrue(Files.isExecutable(Path.of("src/main/launcher/icc-drain")));
        assertTrue(Files.readString(Path.of("Containerfile")).contains("COPY --chown=1001:0 src/main/launcher/ /usr/local/icc/"));
        assertEquals(8084, c.getPorts().get(0).getContainerPort());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertNotNull(c.getResources().getLimits().get("memory"));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/run/secrets/pull-secret")));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/shared/html/images")));
        Map<String, io.fabric8.kubernetes.api.model.EnvVar> env = new java.util.HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));
        assertEquals("true", env.get("LEADER_ELECTION").getValue());
        assertEquals("metadata.name", env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        var key = env.get("IMAGE_URL_KEY").getValueFrom().getSecretKeyRef();
        assertTrue(key.getOptional() == null || !key.getOptional(), "replicas cannot agree on URLs without the key");
        for (var e : c.getEnv()) {
            assertTrue(Settings.VARIABLES.contains(e.getName()) || Settings.PROCESS_VARIABLES.contains(e.getName())
                    || e.getName().equals("POD_NAMESPACE"),
                    "the code reads " + e.getName());
        }
        // The command's flags parse with the launcher (POD_NAMESPACE is expanded by the kubelet).
        List<String> cmd = new ArrayList<>(List.of("env", "ICC_LAUNCHER_DRY_RUN=1",
                Path.of("src/main/launcher").toAbsolutePath().resolve("machine-image-customization-controller").toString()));
        cmd.addAll(c.getCommand().subList(1, c.getCommand().size()));
        Tools.Result r = Tools.run(Path.of("."), cmd);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("IMAGES_HTTP_PORT=8084\n"), r.stdout());
    }

    @Test
    void disruptionBudgetKeepsOneReplica() throws IOException {
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        assertEquals(one(Deployment.class).getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void serviceMaps80ToTheImagesPort() throws IOException {
        Service s = one(Service.class);
        assertEquals(80, s.getSpec().getPorts().get(0).getPort());
        assertEquals("images", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels(), s.getSpec().getSelector());
    }

    /** k8s/tls: the components an overlay adds for HTTPS agree with each other and with the base. */
    @Test
    @SuppressWarnings("unchecked")
    void tlsComponentsMountTheSecretBothCertificateSourcesWrite() throws IOException {
        Deployment patch = Serialization.unmarshal(Files.readString(K8S.resolve("tls/deployment-patch.yaml")), Deployment.class);
        var container = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getName(), container.getName());
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        Set<String> known = new HashSet<>(Settings.VARIABLES);
        known.addAll(Settings.PROCESS_VARIABLES);
        assertTrue(known.containsAll(env.keySet()), env.toString());
        var mount = container.getVolumeMounts().get(0);
        assertEquals(null, mount.getSubPath(), "a subPath mount is never updated by the kubelet: no rotation");
        assertEquals(mount.getMountPath() + "/tls.crt", env.get("IMAGES_TLS_CERT_FILE"));
        assertEquals(mount.getMountPath() + "/tls.key", env.get("IMAGES_TLS_KEY_FILE"));
        assertTrue(container.getCommand().get(4).startsWith("https://"), "status URLs are https://");
        String secret = patch.getSpec().getTemplate().getSpec().getVolumes().get(0).getSecret().getSecretName();
        assertEquals(Integer.valueOf(env.get("IMAGES_HTTPS_PORT")), container.getPorts().get(0).getContainerPort());

        Service service = Serialization.unmarshal(Files.readString(K8S.resolve("tls/service-patch.yaml")), Service.class);
        assertEquals(List.of("images", container.getPorts().get(0).getName()),
                service.getSpec().getPorts().stream().map(p -> p.getTargetPort().getStrVal()).toList());
        assertEquals(443, service.getSpec().getPorts().get(1).getPort());

        String openshift = Files.readString(K8S.resolve("tls/openshift/kustomization.yaml"));
        assertTrue(openshift.contains("service.beta.openshift.io/serving-cert-secret-name: " + secret), openshift);
        Map<String, Object> certificate = new org.yaml.snakeyaml.Yaml().load(Files.readString(K8S.resolve("tls/cert-manager/certificate.yaml")));
        assertEquals(secret, ((Map<String, Object>) certificate.get("spec")).get("secretName"));
        assertTrue(((List<String>) ((Map<String, Object>) certificate.get("spec")).get("dnsNames"))
                .contains(one(Service.class).getMetadata().getName()));
    }
}
