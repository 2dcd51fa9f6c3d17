package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

/** k8s/monitoring: what operators look at parses, points at the Service, and covers the alerts that matter. */
public class MonitoringManifestsTest {

    static final Path DIR = Path.of("k8s/monitoring");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String file) throws IOException {
        return new org.yaml.snakeyaml.Yaml().load(Files.readString(DIR.resolve(file)));
    }

    static JsonObject dashboard() throws IOException {
        try (var r = Json.createReader(new StringReader(Files.readString(DIR.resolve("dashboard.json"))))) {
            return r.readObject();
        }
    }

    /** The rules of every group of the PrometheusRule. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) ((Map<String, Object>) yaml("prometheusrule.yaml")
                .get("spec")).get("groups")) {
            out.addAll((List<Map<String, Object>>) g.get("rules"));
        }
        return out;
    }

    /** Every PromQL expression of the alerts and the dashboard. */
    public static List<String> expressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            out.add((String) rule.get("expr"));
        }
        for (JsonValue p : dashboard().getJsonArray("panels")) {
            for (JsonValue t : p.asJsonObject().getJsonArray("targets")) {
                out.add(t.asJsonObject().getString("expr"));
            }
        }
        return out;
    }

    /** The application metric names those expressions use (the IT checks the app exports each). */
    public static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String e : expressions()) {
            Matcher m = Pattern.compile("\\bicc_[a-z_]+").matcher(e);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void kustomizationListsTheObjectsAndTheDashboard() throws IOException {
        Map<String, Object> k = yaml("kustomization.yaml");
        assertEquals(List.of("servicemonitor.yaml", "prometheusrule.yaml"), k.get("resources"));
        Map<String, Object> cm = ((List<Map<String, Object>>) k.get("configMapGenerator")).get(0);
        assertEquals(List.of("dashboard.json"), cm.get("files"));
        assertEquals("1", ((Map<String, Map<String, Object>>) cm.get("options")).get("labels").get("grafana_dashboard"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorScrapesTheImagesPortOfTheService() throws IOException {
        Map<String, Object> sm = yaml("servicemonitor.yaml");
        assertEquals("monitoring.coreos.com/v1", sm.get("apiVersion"));
        assertEquals("ServiceMonitor", sm.get("kind"));
        Map<String, Object> spec = (Map<String, Object>) sm.get("spec");
        Map<String, String> selector = ((Map<String, Map<String, String>>) spec.get("selector")).get("matchLabels");
        // The base kustomization puts this label on the Service.
        Map<String, Object> base = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("k8s/kustomization.yaml")));
        Map<String, String> baseLabels = ((List<Map<String, Map<String, String>>>) base.get("labels")).get(0).get("pairs");
        assertEquals(baseLabels, selector);
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        Map<String, Object> service = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("k8s/service.yaml")));
        String portName = (String) ((List<Map<String, Object>>) ((Map<String, Object>) service.get("spec")).get("ports")).get(0).get("name");
        assertEquals(portName, endpoint.get("port"));
        assertEquals("/metrics", endpoint.get("path"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void alertsCoverWhatMatters() throws IOException {
        Map<String, Object> pr = yaml("prometheusrule.yaml");
        assertEquals("monitoring.coreos.com/v1", pr.get("apiVersion"));
        assertEquals("PrometheusRule", pr.get("kind"));
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            alerts.add((String) rule.get("alert"));
            assertTrue(rule.get("for") != null, rule.get("alert") + " waits before firing");
            assertTrue(((Map<String, String>) rule.get("labels")).get("severity").matches("warning|critical"));
            Map<String, String> ann = (Map<String, String>) rule.get("annotations");
            assertFalse(ann.get("summary").isBlank() || ann.get("description").isBlank(), rule.get("alert") + " says what to do");
        }
        assertEquals(Set.of("ImageCustomizationNotReady", "ImageCustomizationNoLeader", "ImageCustomizationReconcileErrors",
                "ImageCustomizationImageRequestsFailing"), alerts);
    }

    @Test
    void dashboardShowsTheAppsMetrics() throws IOException {
        JsonObject d = dashboard();
        assertEquals("icc-overview", d.getString("uid"));
        assertTrue(d.getJsonArray("panels").size() >= 6);
        Set<String> names = metricNames();
        for (String needed : List.of("icc_images_registered", "icc_active_streams", "icc_image_requests_total",
                "icc_reconciles_total", "icc_ready", "icc_leader")) {
            assertTrue(names.contains(needed), needed + " in " + names);
        }
        assertTrue(names.stream().anyMatch(n -> n.startsWith("icc_bytes_served")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("icc_reconcile_duration")), names.toString());
    }
}
