package dev.keepalive.common.server;

import static dev.keepalive.common.Check.*;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What a service allows its own clients' connections, as Node's HTTP server has it.
 *
 * @param idleTimeout close a keep-alive connection idle this long between requests (Node's keepAliveTimeout, 5 s);
 *     zero keeps it
 * @param headersTimeout answer 408 and close a connection whose request line and headers are not complete this
 *     long after it opened (Node's headersTimeout, 60 s); zero = no limit
 * @param maxConnections client connections open at once; a new one beyond it is closed at once (Node's
 *     server.maxConnections); 0 = unlimited
 */
public record ServerLimits(Duration idleTimeout, Duration headersTimeout, int maxConnections) {

  public ServerLimits {
    notNegative("--idle-timeout", idleTimeout);
    notNegative("--headers-timeout", headersTimeout);
    between("--max-client-connections", maxConnections, 0, 10_000_000);
  }

  public static ServerLimits gatewayDefaults() {
    return new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(10), 10_000);
  }

  /** For the start line: each setting, as Node's server reports keepAliveTimeout and headersTimeout. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("idleTimeout", idleTimeout.isZero() ? "off" : DurationConverter.format(idleTimeout))
        .put("headersTimeout", headersTimeout.isZero() ? "off" : DurationConverter.format(headersTimeout))
        .put("maxClientConnections", maxConnections == 0 ? "unlimited" : String.valueOf(maxConnections));
  }
}
