package dev.keepalive.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One run against a target whose metrics cannot be read: the run is measured all the same, the unread metrics are
 * a warning and no service figures (not zeros), and the live progress line is cleared at the end. (RunCountsTest runs
 * against real services whose metrics are read.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadRunTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void metricsThatCannotBeReadAreAWarningAndNoServiceFigures() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    HttpServer target = vertx.createHttpServer()
        .requestHandler(req -> req.response().end("ok").onSuccess(v -> answered.incrementAndGet()))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    LoadPlan plan = new LoadPlan(10, 1, 12, Duration.ofMillis(1200), Duration.ZERO, 0, Duration.ofSeconds(5));
    StringWriter text = new StringWriter();
    RunResult r = new LoadRun("bare", Target.parse("--target", "http://127.0.0.1:" + target.actualPort()),
        Target.parse("--gateway-metrics", "http://127.0.0.1:" + closed + "/metrics"), null, plan)
        .execute(new Progress(new PrintWriter(text), true, "", 1.2));

    assertThat(r.requests()).isEqualTo(12).isEqualTo(answered.get());
    assertThat(r.failed()).isZero();
    assertThat(r.services()).as("no metrics read: no figures rather than zeros").isNull();
    assertThat(r.toJson().getValue("services")).isNull();
    assertThat(r.warnings()).singleElement().asString().contains("127.0.0.1:" + closed);
    // The progress line of the first second (a request was still due at 1.1 s), then blanked so that what follows
    // starts on a clean line.
    assertThat(text.toString()).matches("(?s)\r.*requests.*\r {20,}\r");
  }
}
