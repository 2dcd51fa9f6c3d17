package io.metal3.icc.testing;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD dispatcher with a real API server's optimistic concurrency on the status
 * subresource too (fabric8 keeps the stored metadata on a status PUT, so a stale resourceVersion
 * passed), and counters of what clients wrote: status writes per object, 409s, Events, Lease writes.
 * Writes are serialised, so a check and the write it guards are atomic.
 */
public class StrictCrudDispatcher extends KubernetesCrudDispatcher {

    public final Map<String, AtomicInteger> statusWrites = new ConcurrentHashMap<>();
    public final AtomicInteger conflicts = new AtomicInteger();
    public final AtomicInteger events = new AtomicInteger();
    public final Map<String, AtomicInteger> eventsByObject = new ConcurrentHashMap<>();

    @Override
    public synchronized MockResponse handleUpdate(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        if (bare.endsWith("/status")) {
            String object = bare.substring(0, bare.length() - "/status".length());
            String sent = resourceVersion(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
            Map.Entry<AttributeSet, String> stored = findResource(getKey(object));
            if (stored != null && sent != null && !sent.equals(resourceVersion(stored.getValue()))) {
                conflicts.incrementAndGet();
                return conflict(object);
            }
            statusWrites.computeIfAbsent(object, k -> new AtomicInteger()).incrementAndGet();
        }
        MockResponse r = super.handleUpdate(request);
        if (r.code() == HttpURLConnection.HTTP_CONFLICT) {
            conflicts.incrementAndGet();
        }
        return r;
    }

    @Override
    public synchronized MockResponse handleCreate(RecordedRequest request) {
        if (request.getPath().contains("/events")) {
            events.incrementAndGet();
            try {
                JsonNode involved = Serialization.jsonMapper().readTree(request.getBody().getBytes()).path("involvedObject");
                eventsByObject.computeIfAbsent(involved.path("namespace").asText() + "/" + involved.path("name").asText()
                        + " " + Serialization.jsonMapper().readTree(request.getBody().getBytes()).path("reason").asText(),
                        k -> new AtomicInteger()).incrementAndGet();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return super.handleCreate(request);
    }

    @Override
    public synchronized MockResponse handlePatch(RecordedRequest request) {
        return super.handlePatch(request);
    }

    @Override
    public synchronized MockResponse handleDelete(String path) {
        return super.handleDelete(path);
    }

    /** Status PUTs to PreprovisioningImages, all objects together. */
    public int imageStatusWrites() {
        return statusWrites.entrySet().stream().filter(e -> e.getKey().contains("/preprovisioningimages/"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    private static String resourceVersion(String json) {
        try {
            JsonNode rv = Serialization.jsonMapper().readTree(json).path("metadata").path("resourceVersion");
            return rv.isMissingNode() || rv.isNull() || rv.asText().isEmpty() ? null : rv.asText();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static MockResponse conflict(String object) {
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CONFLICT).setBody(Serialization.asJson(
                new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(HttpURLConnection.HTTP_CONFLICT)
                        .withMessage("Operation cannot be fulfilled on " + object
                                + ": the object has been modified; please apply your changes to the latest version and try again")
                        .build()));
    }
}
