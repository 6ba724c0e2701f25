package dev.keepalive.loadtest;

import dev.keepalive.gateway.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One upstream client configuration of the gateway, as {@code compare --configs} names it:
 * {@code off[N]} keep-alive off (at most N connections at once), {@code pool[N]} keep-alive with N
 * connections, {@code h2[xN]} HTTP/2 on N connections (default 1), {@code pipelined[N]} HTTP/1.1
 * pipelining on N connections (default 1), {@code h3[xN]} HTTP/3 over QUIC on N connections (default 1; always
 * over TLS, with no suffix). A {@code -tls} suffix runs it over TLS (the upstream with a generated certificate the
 * gateway trusts; for h3 the upstream also serves HTTP/3), {@code -tls-noresume} over TLS without session resumption: {@code off-tls},
 * {@code off-tls-noresume}, {@code pool10-tls}, {@code h2-tls} (h2 chosen by ALPN).
 */
record ClientConfig(String name, boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit,
    Tls tls, boolean http3) {

  /** Plain HTTP, TLS with session resumption, or TLS where every handshake is full. */
  enum Tls { NONE, RESUME, NO_RESUME }

  ClientConfig(String name, boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit) {
    this(name, keepAlive, poolSize, http2, pipelining, pipeliningLimit, Tls.NONE, false);
  }

  private static final Pattern SYNTAX = Pattern.compile("(?:(off|pool|pipelined)(\\d+)?|(h2|h3)(?:x(\\d+))?)(-tls(-noresume)?)?");

  static List<ClientConfig> parseAll(List<String> names, int defaultPoolSize, int pipeliningLimit) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("Invalid value for --configs: give at least one configuration");
    }
    List<ClientConfig> out = new ArrayList<>();
    for (String n : names) {
      ClientConfig c = parse(n.trim(), defaultPoolSize, pipeliningLimit);
      if (out.stream().anyMatch(o -> o.name.equals(c.name))) {
        throw new IllegalArgumentException("Invalid value for --configs: '" + n + "' is listed twice");
      }
      out.add(c);
    }
    return out;
  }

  static ClientConfig parse(String name, int defaultPoolSize, int pipeliningLimit) {
    Matcher m = SYNTAX.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid value for --configs: '" + name + "' is not a configuration "
          + "(write off, off100, pool10, pool1, h2, h2x2, pipelined or pipelined2, each with -tls or -tls-noresume; or h3, h3x2)");
    }
    String kind = m.group(1) == null ? m.group(3) : m.group(1);
    String digits = m.group(1) == null ? m.group(4) : m.group(2);
    int n = digits == null ? (kind.equals("off") || kind.equals("pool") ? defaultPoolSize : 1) : parseCount(name, digits);
    Tls tls = m.group(5) == null ? Tls.NONE : m.group(6) == null ? Tls.RESUME : Tls.NO_RESUME;
    if (kind.equals("h3")) {
      if (tls != Tls.NONE) {
        throw new IllegalArgumentException("Invalid value for --configs: '" + name + "': h3 always runs TLS 1.3 inside "
            + "QUIC, and Vert.x 5.1.6 cannot turn its resumption off (write h3 or h3x2)");
      }
      return new ClientConfig(name, true, n, false, false, pipeliningLimit, Tls.RESUME, true);
    }
    return switch (kind) {
      case "off" -> new ClientConfig(name, false, n, false, false, pipeliningLimit, tls, false);
      case "pool" -> new ClientConfig(name, true, n, false, false, pipeliningLimit, tls, false);
      case "pipelined" -> new ClientConfig(name, true, n, false, true, pipeliningLimit, tls, false);
      default -> new ClientConfig(name, true, n, true, false, pipeliningLimit, tls, false);
    };
  }

  private static int parseCount(String name, String digits) {
    int n = digits.length() > 5 ? 0 : Integer.parseInt(digits);
    if (n < 1 || n > 10_000) {
      throw new IllegalArgumentException("Invalid value for --configs: '" + name + "': the connection count must be 1 to 10000");
    }
    return n;
  }

  /** What the table and the report call it. */
  String label() {
    String over = http3 ? "" : switch (tls) {
      case NONE -> "";
      case RESUME -> ", TLS";
      case NO_RESUME -> ", TLS without resumption";
    };
    String conns = poolSize == 1 ? "1 conn" : poolSize + " conns";
    if (!keepAlive) return "keep-alive off (≤" + conns + ")" + over;
    if (http2) return "HTTP/2, " + conns + over;
    if (http3) return "HTTP/3 (QUIC), " + conns;
    if (pipelining) return "pipelined ×" + pipeliningLimit + ", " + conns + over;
    return "keep-alive, " + conns + over;
  }

  JsonObject toJson() {
    return new JsonObject().put("name", name).put("label", label()).put("keepAlive", keepAlive).put("poolSize", poolSize)
        .put("http2", http2).put("pipelining", pipelining).put("pipeliningLimit", pipeliningLimit)
        .put("tls", tls.name().toLowerCase(java.util.Locale.ROOT)).put("http3", http3);
  }

  GatewayConfig applyTo(GatewayConfig gateway) {
    GatewayConfig g = gateway.withClient(keepAlive, poolSize, http2, pipelining, pipeliningLimit);
    return http3 ? g.withHttp3() : g;
  }
}
