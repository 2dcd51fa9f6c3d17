package io.metal3.icc.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import io.metal3.icc.serving.ServingState;

/**
 * While the replica drains or stops, every response ends its connection ({@code Connection: close},
 * which Liberty honours once the response is written). The client's next request then opens a new
 * connection, which the balancer sends to another replica, instead of finding the port closed under
 * an idle keep-alive connection. Headers are set before the body starts: a request that has arrived
 * is always answered in full.
 */
@Provider
@ApplicationScoped
public class ConnectionCloseFilter implements ContainerResponseFilter {

    @Inject
    ServingState state;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (state.closesConnections()) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }

    @Override
    public String toString() {
        return "ConnectionCloseFilter";
    }
}
