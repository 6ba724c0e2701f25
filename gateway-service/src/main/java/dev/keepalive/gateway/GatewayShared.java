package dev.keepalive.gateway;

import dev.keepalive.common.TransportChoice;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What every gateway verticle instance shares: the upstream lanes (a client each), one limiter, one registry, and
 * the transport the event loops run on.
 */
record GatewayShared(UpstreamLanes lanes, GatewayMetrics metrics, FanOutLimiter limiter, UpstreamHealth health,
    PrometheusMeterRegistry registry, TransportChoice transport) {}
