package dev.keepalive.gateway;

import dev.keepalive.common.server.ConnectionGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What every gateway verticle instance shares: the upstream lanes (a client each), one admission, one registry, one guard of client connections. */
record GatewayShared(UpstreamLanes lanes, GatewayMetrics metrics, FanOutAdmission limiter, UpstreamHealth health,
    PrometheusMeterRegistry registry, ConnectionGuard guard) {}
