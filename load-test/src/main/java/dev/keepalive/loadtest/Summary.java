package dev.keepalive.loadtest;

import java.io.PrintWriter;
import java.util.Map;

/** The end-of-run summary of {@code run}: what the driver saw, then what the services' metrics say. */
final class Summary {
  private Summary() {}

  static void print(PrintWriter out, RunResult r) {
    out.printf("%nTarget   %s%n", r.target());
    out.printf("Load     %s%n", r.plan().describe());
    out.printf("%nRequests     %,d in %.1f s, %,.1f req/s%n", r.requests(), r.elapsedSeconds(), r.throughput());
    out.printf("Errors       %,d (%.2f%%)%s%n", r.failed(), 100 * r.errorRate(), r.errors().isEmpty() ? "" : "  " + kinds(r.errors()));
    if (r.latency().getTotalCount() == 0) {
      out.println("Latency      no responses"); // zeros would read as a very fast run
    } else {
      out.printf("Latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", ms(r.latencyMs(50)), ms(r.latencyMs(90)),
          ms(r.latencyMs(99)), ms(r.latencyMs(99.9)), ms(r.maxMs()));
    }
    if (r.plan().openModel()) {
      out.println("             (open model: measured from each request's scheduled send time)");
    }
    ServiceCounts s = r.services();
    if (s != null && s.gateway() != null) {
      ServiceCounts.Gateway g = s.gateway();
      out.printf("%nGateway      %,d requests answered, %,d upstream calls (%,.0f/s)%s%n", g.requests(), g.upstreamCalls(),
          r.upstreamCallRate(), g.upstreamCallErrors().isEmpty() ? "" : ", failed: " + kinds(g.upstreamCallErrors()));
      out.printf("Connections  %,d opened by the gateway (%d already open at the start)%s%n", g.connectionsOpened(),
          g.connectionsActiveAtStart(), s.upstream() == null ? "" : String.format(", %,d accepted by the upstream",
              s.upstream().connectionsAccepted()));
      out.printf("Handshakes   %s per gateway request%n", number(g.handshakesPerRequest()));
      out.printf("Reuse        %s upstream requests per connection%n", number(g.requestsPerConnection()));
      if (g.tls().full() + g.tls().resumed() > 0) {
        out.printf("TLS          %s handshakes per gateway request: %s full, %s resumed%n",
            number((double) (g.tls().full() + g.tls().resumed()) / Math.max(1, g.requests())),
            number(g.tlsFullPerRequest()), number(g.tlsResumedPerRequest()));
      }
      if (g.cpuMicrosPerCall() != null) {
        out.printf("CPU          %s per upstream call in the gateway's event loops%s%n", micros(g.cpuMicrosPerCall()),
            s.upstream() == null || s.upstream().cpuMicrosPerCall() == null ? ""
                : ", " + micros(s.upstream().cpuMicrosPerCall()) + " in the upstream's");
      }
    } else if (s != null && s.upstream() != null) {
      out.printf("%nUpstream     %,d requests, %,d connections accepted%n", s.upstream().requests(),
          s.upstream().connectionsAccepted());
    }
    for (String w : r.warnings()) {
      out.println("warning: " + w);
    }
    out.flush();
  }

  static String kinds(Map<String, Long> errors) {
    StringBuilder b = new StringBuilder();
    errors.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format("%,d", v)));
    return b.toString();
  }

  /** "1 connection", "6,000 connections". */
  static String count(long n, String noun) {
    return String.format("%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  static String ms(double ms) {
    return ms >= 100 ? String.format("%.0f ms", ms) : String.format("%.2f ms", ms);
  }

  /** CPU per call: "42 µs". */
  static String micros(Double us) {
    return us == null ? "n/a" : us >= 100 ? String.format("%,.0f µs", us) : String.format("%.1f µs", us);
  }

  static String number(Double d) {
    if (d == null) {
      return "n/a";
    }
    return d >= 100 ? String.format("%,.0f", d) : d >= 1 ? String.format("%.2f", d) : String.format("%.3f", d);
  }
}
