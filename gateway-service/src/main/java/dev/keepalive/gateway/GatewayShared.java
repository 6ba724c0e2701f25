package dev.keepalive.gateway;

import dev.keepalive.common.TransportChoice;
import dev.keepalive.common.server.ConnectionGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What every gateway verticle instance shares: the upstream lanes (a client each), one admission, one registry,
 * the transport the event loops run on, and one guard of the gateway's own client connections.
 */
record GatewayShared(UpstreamLanes lanes, GatewayMetrics metrics, FanOutAdmission limiter, UpstreamHealth health,
    PrometheusMeterRegistry registry, TransportChoice transport, ConnectionGuard guard) {}
