package dev.keepalive.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place the upstream client is configured (keep-alive, pool, protocol, pipelining, timeouts),
 * and the one place an upstream call is made and measured.
 */
public final class UpstreamClient {

  /** What the client learns about one call while it runs. */
  private static final class CallTrace {
    final long startNanos = System.nanoTime();
    HttpConnection connection;
    ConnectionTracker.Use use;
  }

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private final ConnectionTracker tracker;
  // Kept in a field: Vert.x 5 closes a client nobody references.
  private final HttpClientAgent httpClient;
  private final WebClient webClient;
  private final Map<HttpRequest<?>, CallTrace> traces = new ConcurrentHashMap<>();

  public UpstreamClient(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.tracker = new ConnectionTracker(metrics, config.keepAlive(), config.keepAliveTimeout());

    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(config.upstream().host())
        .setDefaultPort(config.upstream().port())
        .setKeepAlive(config.keepAlive())
        .setPipelining(config.pipelining())
        .setPipeliningLimit(config.pipeliningLimit())
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setTcpNoDelay(true)
        // The client_name label of the vertx_http_client_* metrics.
        .setMetricsName("upstream");
    // Below the upstream's idle timeout, so the gateway retires idle connections before the server does.
    options.getHttp1Config().setKeepAliveTimeout(config.keepAliveTimeout());
    options.getHttp2Config().setKeepAliveTimeout(config.keepAliveTimeout());
    if (config.http2()) {
      // h2c with prior knowledge: no HTTP/1.1 upgrade round trip on each new connection.
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(config.poolSize())
        .setHttp2MaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue());

    this.httpClient = vertx.httpClientBuilder()
        .with(options)
        .with(pool)
        .withConnectHandler(tracker::connected)
        .build();
    this.webClient = WebClient.wrap(httpClient, new WebClientOptions().setUserAgentEnabled(false));
    this.webClient.addInterceptor(this::observe);
  }

  /** One GET /item/{id} to the upstream; never fails, the failure is in the result. */
  public Future<CallResult> call(int id) {
    HttpRequest<Buffer> request = webClient
        .get(config.upstream().basePath() + "/item/" + id)
        .timeout(config.requestTimeout().toMillis());
    CallTrace trace = new CallTrace();
    traces.put(request, trace);
    return request.send().transform(ar -> {
      traces.remove(request);
      long duration = System.nanoTime() - trace.startNanos;
      if (trace.connection != null) {
        tracker.callFinished(trace.connection);
      }
      CallResult result;
      if (ar.succeeded()) {
        HttpResponse<Buffer> response = ar.result();
        int status = response.statusCode();
        String kind = status >= 400 ? FailureKinds.ofStatus(status) : null;
        result = result(trace, status, kind, kind == null ? null : "upstream answered " + status, duration);
      } else {
        Throwable err = ar.cause();
        result = result(trace, 0, FailureKinds.of(err), String.valueOf(err.getMessage()), duration);
      }
      metrics.upstreamCall(result.succeeded() ? "success" : result.errorKind(), duration);
      return Future.succeededFuture(result);
    });
  }

  public Future<Void> close() {
    tracker.shuttingDown();
    webClient.close(); // closes httpClient too
    return httpClient.close();
  }

  private CallResult result(CallTrace trace, int status, String kind, String message, long duration) {
    ConnectionTracker.Use use = trace.use;
    return new CallResult(status, kind, message, use != null && use.position() == 1,
        use == null ? 0 : use.connectionId(), duration);
  }

  /** The WebClient interceptor: sees which connection carried each request, and what the server answered. */
  private void observe(HttpContext<?> ctx) {
    CallTrace trace = traces.get(ctx.request());
    if (trace != null) {
      if (ctx.phase() == ClientPhase.SEND_REQUEST) {
        HttpConnection connection = ctx.clientRequest().connection();
        trace.connection = connection;
        trace.use = tracker.requestSent(connection);
      } else if (ctx.phase() == ClientPhase.RECEIVE_RESPONSE && trace.connection != null) {
        tracker.responseReceived(trace.connection, ctx.clientResponse());
      }
    }
    ctx.next();
  }
}
