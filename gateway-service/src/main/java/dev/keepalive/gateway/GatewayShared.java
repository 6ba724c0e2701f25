package dev.keepalive.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What every gateway verticle instance shares: the upstream lanes (a client each), one limiter, one registry. */
record GatewayShared(UpstreamLanes lanes, GatewayMetrics metrics, FanOutLimiter limiter, UpstreamHealth health,
    PrometheusMeterRegistry registry) {}
