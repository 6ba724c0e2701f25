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
 * pipelining on N connections (default 1). A {@code -tls} suffix runs it over TLS (the upstream with a generated
 * certificate the gateway trusts), {@code -tls-noresume} over TLS without session resumption: {@code off-tls},
 * {@code off-tls-noresume}, {@code pool10-tls}, {@code h2-tls} (h2 chosen by ALPN).
 */
record ClientConfig(String name, boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit,
    Tls tls) {

  /** Plain HTTP, TLS with session resumption, or TLS where every handshake is full. */
  enum Tls { NONE, RESUME, NO_RESUME }

  ClientConfig(String name, boolean keepAlive, int poolSize, boolean http2, boolean pipelining, int pipeliningLimit) {
    this(name, keepAlive, poolSize, http2, pipelining, pipeliningLimit, Tls.NONE);
  }

  private static final Pattern SYNTAX = Pattern.compile("(?:(off|pool|pipelined)(\\d+)?|h2(?:x(\\d+))?)(-tls(-noresume)?)?");

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
          + "(write off, off100, pool10, pool1, h2, h2x2, pipelined or pipelined2, each with -tls or -tls-noresume)");
    }
    String kind = m.group(1) == null ? "h2" : m.group(1);
    String digits = m.group(1) == null ? m.group(3) : m.group(2);
    int n = digits == null ? (kind.equals("off") || kind.equals("pool") ? defaultPoolSize : 1) : parseCount(name, digits);
    Tls tls = m.group(4) == null ? Tls.NONE : m.group(5) == null ? Tls.RESUME : Tls.NO_RESUME;
    return switch (kind) {
      case "off" -> new ClientConfig(name, false, n, false, false, pipeliningLimit, tls);
      case "pool" -> new ClientConfig(name, true, n, false, false, pipeliningLimit, tls);
      case "pipelined" -> new ClientConfig(name, true, n, false, true, pipeliningLimit, tls);
      default -> new ClientConfig(name, true, n, true, false, pipeliningLimit, tls);
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
    String over = switch (tls) {
      case NONE -> "";
      case RESUME -> ", TLS";
      case NO_RESUME -> ", TLS without resumption";
    };
    String conns = poolSize == 1 ? "1 conn" : poolSize + " conns";
    if (!keepAlive) return "keep-alive off (≤" + conns + ")" + over;
    if (http2) return "HTTP/2, " + conns + over;
    if (pipelining) return "pipelined ×" + pipeliningLimit + ", " + conns + over;
    return "keep-alive, " + conns + over;
  }

  JsonObject toJson() {
    return new JsonObject().put("name", name).put("label", label()).put("keepAlive", keepAlive).put("poolSize", poolSize)
        .put("http2", http2).put("pipelining", pipelining).put("pipeliningLimit", pipeliningLimit)
        .put("tls", tls.name().toLowerCase(java.util.Locale.ROOT));
  }

  GatewayConfig applyTo(GatewayConfig gateway) {
    return gateway.withClient(keepAlive, poolSize, http2, pipelining, pipeliningLimit);
  }
}
