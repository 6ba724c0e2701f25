package dev.keepalive.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Sends {@code GET /fanout} to the gateway, on one event loop, in the open or the closed model, and
 * records every outcome. Latency runs from the intended send time: in the open model that is the
 * request's slot in the constant-arrival schedule, so a slow target shows as latency (queueing
 * included) and never as a lower sending rate — the coordinated-omission correction of wrk2.
 */
final class LoadDriver {
  private final Vertx vertx;
  private final Context context;
  private final LoadPlan plan;
  private final RequestOptions request;
  // Kept in a field: Vert.x 5 closes a client nobody references.
  private final HttpClientAgent client;
  private final int connections;
  private long inFlight;
  private long maxInFlight;

  LoadDriver(Vertx vertx, Target target, LoadPlan plan) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.plan = plan;
    String uri = target.path() + "/fanout" + (plan.calls() > 0 ? "?calls=" + plan.calls() : "");
    long timeoutMs = plan.timeout().toMillis();
    this.request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(target.host())
        .setPort(target.port())
        .setURI(uri)
        // Covers waiting for a pooled connection as well as the TCP connect.
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs);
    this.connections = plan.openModel() ? plan.connections() : Math.max(plan.connections(), plan.concurrency());
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .build();
  }

  /**
   * Applies the plan's load for {@code length}, then waits for the requests still in flight.
   * Once a second the recording's timeline gets an interval and {@code onTick} runs, on the driver's event loop.
   */
  Future<Void> phase(Duration length, Recording recording, Consumer<Recording> onTick) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      long end = start + length.toNanos();
      long ticker = vertx.setPeriodic(1000, id -> {
        recording.tick(System.nanoTime());
        onTick.accept(recording);
      });
      Runnable finished = () -> {
        vertx.cancelTimer(ticker);
        recording.finish(System.nanoTime());
        done.complete();
      };
      if (plan.openModel()) {
        openModel(start, plan.requestsIn(length), recording, finished);
      } else {
        closedModel(end, recording, finished);
      }
    });
    return done.future();
  }

  /** Constant arrival: request i is due at start + i/rate; a 1 ms timer sends whatever is due. */
  private void openModel(long start, long total, Recording recording, Runnable finished) {
    new ConstantArrival(start, total, recording, finished).begin();
  }

  private final class ConstantArrival {
    private final long start;
    private final long total;
    private final double gapNanos;
    private final Recording recording;
    private final Runnable finished;
    private long sent;
    private boolean allSent;
    private boolean done;

    ConstantArrival(long start, long total, Recording recording, Runnable finished) {
      this.start = start;
      this.total = total;
      this.gapNanos = 1e9 / plan.rate();
      this.recording = recording;
      this.finished = finished;
    }

    void begin() {
      if (total == 0) {
        allSent = true;
        finishWhenDrained();
      } else {
        vertx.setPeriodic(1, 1, this::sendDue);
      }
    }

    /** Sends every request whose slot has come, late ones included: the timer's lateness is not the target's. */
    private void sendDue(long timerId) {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / gapNanos) + 1);
      while (sent < due) {
        long intended = start + (long) (sent * gapNanos);
        sent++;
        send(intended, recording).onComplete(ar -> finishWhenDrained());
      }
      if (sent >= total) {
        vertx.cancelTimer(timerId);
        allSent = true;
        finishWhenDrained();
      }
    }

    private void finishWhenDrained() {
      if (allSent && inFlight == 0 && !done) {
        done = true;
        finished.run();
      }
    }
  }

  /** Closed model: each of {@code concurrency} workers sends its next request when the last one returned. */
  private void closedModel(long end, Recording recording, Runnable finished) {
    int[] running = {plan.concurrency()};
    Runnable workerStopped = () -> {
      if (--running[0] == 0) {
        finished.run();
      }
    };
    for (int i = 0; i < plan.concurrency(); i++) {
      worker(end, recording, workerStopped);
    }
  }

  private void worker(long end, Recording recording, Runnable stopped) {
    if (System.nanoTime() >= end) {
      stopped.run();
      return;
    }
    send(System.nanoTime(), recording).onComplete(ar -> worker(end, recording, stopped));
  }

  /** One request; the future completes (never fails) once its outcome is recorded. */
  private Future<Void> send(long intendedNanos, Recording recording) {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    return client.request(request)
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> outcome(resp, body))))
        .transform(ar -> {
          inFlight--;
          long latency = System.nanoTime() - intendedNanos;
          if (ar.succeeded()) {
            Outcome o = ar.result();
            String kind = o.status / 100 == 2 ? null : o.kind;
            recording.response(latency, kind, o.newConnections);
            recording.sentAt(intendedNanos, kind);
          } else {
            String kind = ErrorKinds.of(ar.cause());
            recording.failure(kind);
            recording.sentAt(intendedNanos, kind);
          }
          return Future.succeededFuture();
        });
  }

  private record Outcome(int status, String kind, int newConnections) {}

  /** The gateway's answer says how many upstream connections the request opened; other targets' do not. */
  private static Outcome outcome(HttpClientResponse response, Buffer body) {
    int opened = 0;
    String type = response.getHeader("content-type");
    if (type != null && type.startsWith("application/json")) {
      try {
        Integer n = new JsonObject(body).getInteger("newConnections");
        opened = n == null ? 0 : n;
      } catch (RuntimeException notTheGatewaysAnswer) {
        // counted as a response all the same
      }
    }
    int status = response.statusCode();
    // A 503 must say when to come back: one that does not is counted apart.
    String kind = status == 503 && response.getHeader("retry-after") == null ? "http_503_without_retry_after"
        : ErrorKinds.ofStatus(status);
    return new Outcome(status, kind, opened);
  }

  /**
   * A warning when requests had to wait for one of the driver's own connections: then the driver, not
   * the target, limited concurrency. Read after a phase has ended.
   */
  String saturationWarning() {
    return maxInFlight <= connections ? null : String.format("up to %d requests were in flight but the driver has "
        + "%d connections to the gateway, so some waited in the driver: raise --connections", maxInFlight, connections);
  }

  Future<Void> close() {
    return client.close();
  }
}
