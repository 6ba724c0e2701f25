package dev.keepalive.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What every gateway verticle instance shares: one client (one pool), one limiter, one registry. */
record GatewayShared(UpstreamClient client, GatewayMetrics metrics, FanOutLimiter limiter, UpstreamHealth health,
    PrometheusMeterRegistry registry) {}
