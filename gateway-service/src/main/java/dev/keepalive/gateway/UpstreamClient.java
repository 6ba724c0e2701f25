package dev.keepalive.gateway;

import dev.keepalive.common.DurationConverter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpClientRequest;
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
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place the upstream client is configured (keep-alive, pool, protocol, pipelining, timeouts),
 * and the one place an upstream call is made, retried and measured.
 */
public final class UpstreamClient {

  /** What the client learns about one attempt while it runs. */
  private static final class Attempt {
    final BooleanSupplier abandoned;
    HttpConnection connection;
    ConnectionTracker.Use use;
    volatile boolean responseStarted;
    // Set when the request is handed to its connection: what the request-timeout sweep needs.
    volatile HttpClientRequest request;
    volatile int sentAtTick;
    // HTTP/3 only (LostResponseEnd): when the headers came, whether the sweep gave up on the end, and the attempt's
    // outcome, which the sweep fails when it gives up (see #giveUp).
    volatile int headersAtTick;
    volatile boolean endLost;
    Promise<HttpResponse<Void>> outcome;

    Attempt(BooleanSupplier abandoned) {
      this.abandoned = abandoned;
    }
  }

  /** The call's fan-out was answered (its deadline passed) before the call got a connection: it is not sent. */
  static final class AbandonedCall extends RuntimeException {
    AbandonedCall() {
      super(ABANDONED_MESSAGE, null, false, false);
    }
  }

  static final String ABANDONED_MESSAGE =
      "not sent: the fan-out was answered (its deadline passed) before this call got a connection";

  /** Failures that mean the request never reached a live server: safe to send again for a GET. */
  private static final Set<String> UNANSWERED = Set.of("connection_closed", "connection_reset");

  /** A server closing each HTTP/2 connection after N streams refuses the rest: enough rounds for a fan-out. */
  private static final int MAX_REFUSED_ATTEMPTS = 20;

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private final ConnectionTracker tracker;
  private final UpstreamHealth health;
  // Kept in fields: Vert.x 5 closes a client nobody references.
  private final HttpClientAgent httpClient;
  private final WebClient webClient;
  // Pipelined calls a closing connection dropped are re-sent without pipelining, where a connection that
  // announces its close cannot take later requests down with it.
  private final HttpClientAgent retryHttpClient;
  private final WebClient retryClient;
  private final Map<HttpRequest<?>, Attempt> attempts = new ConcurrentHashMap<>();
  private final ItemUris itemUris;
  // Where Vert.x 5.1.6 withdraws a request not yet written cleanly: a plain HTTP/1.1 connection, one request at a
  // time. With pipelining the reset leaves the requests queued behind it on the connection waiting for ever (the
  // connection hands the next one its turn only when a request has been written), and over HTTP/2 it closed the
  // connection (measured). There a call instead waits for its connection or stream at most until the fan-out's
  // deadline: the pool's own bound (the request's connectTimeout) takes it out of the wait queue, unsent.
  private final boolean dropsAbandonedCalls;
  // --request-timeout without a timer per call: a periodic sweep of this lane's calls in flight (see #sweep).
  private final Vertx vertx;
  private final long sweepTimer;
  private final RequestTimeoutTicks timeouts;
  private volatile int tick;
  // HTTP/3 only: a response whose end does not follow its headers is given up by the sweep and sent once more.
  private final LostResponseEnd lostEnd;
  private final ConnectionAgeLimit ageLimit;
  private final java.util.List<UpstreamNameWatch> nameWatches = new java.util.ArrayList<>();
  // HTTP/3 only: how long a call may wait for a QUIC connection while none is open. Vert.x fails one waiting call per
  // failed handshake, and a QUIC handshake nobody answers fails only at the connect timeout, so without this bound the
  // calls of a fan-out to an upstream without HTTP/3 would fail one per --connect-timeout. 0 for TCP.
  private final long handshakeWaitMillis;

  /**
   * @param config this client's share of the pool and wait queue (see {@link UpstreamLanes})
   * @param tracker shared by every lane, so connection ids and counts are the gateway's
   */
  UpstreamClient(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, UpstreamHealth health,
      ConnectionTracker tracker) {
    this.config = config;
    this.metrics = metrics;
    this.health = health;
    this.tracker = tracker;
    this.dropsAbandonedCalls = !config.http2() && !config.pipelining() && !config.http3();
    this.handshakeWaitMillis = config.http3() ? config.connectTimeout().toMillis() : 0;
    this.itemUris = new ItemUris(config.upstream().basePath(), config.maxFanOut());
    // Drained connections' calls in flight get the time a call may take.
    this.ageLimit = new ConnectionAgeLimit(vertx, config.keepAlive() ? config.replicas().maxConnectionAge() : Duration.ZERO,
        config.requestTimeout());
    this.httpClient = build(vertx, config.pipelining());
    this.webClient = wrap(httpClient);
    this.retryHttpClient = config.pipelining() ? build(vertx, false) : httpClient;
    this.retryClient = config.pipelining() ? wrap(retryHttpClient) : webClient;
    this.vertx = vertx;
    this.timeouts = new RequestTimeoutTicks(config.requestTimeout());
    this.lostEnd = config.http3() ? new LostResponseEnd(config.requestTimeout(), timeouts.periodMillis()) : null;
    this.sweepTimer = vertx.setPeriodic(timeouts.periodMillis(), id -> sweep());
  }

  /**
   * Fails (resets) every call sent at least --request-timeout ago whose response has not started: what the
   * request's idle timeout did, without arming and cancelling a Vert.x timer on every call. Over HTTP/3 also fails
   * every call whose response started but did not end in time (LostResponseEnd), for #retryReason to send again.
   */
  private void sweep() {
    int now = ++tick;
    for (Attempt attempt : attempts.values()) {
      HttpClientRequest request = attempt.request;
      if (request == null) {
        continue;
      }
      if (!attempt.responseStarted && timeouts.overdue(now, attempt.sentAtTick)) {
        giveUp(attempt, request, new TimeoutException("no answer from the upstream within "
            + DurationConverter.format(config.requestTimeout()) + " of sending " + request.getURI()));
      } else if (attempt.responseStarted && lostEnd != null && lostEnd.overdue(now, attempt.headersAtTick)) {
        attempt.endLost = true;
        giveUp(attempt, request, lostEnd.failure(request.getURI()));
      }
    }
  }

  /** Fails an attempt the sweep gave up on. */
  private static void giveUp(Attempt attempt, HttpClientRequest request, Throwable failure) {
    attempt.request = null;
    if (attempt.outcome == null) {
      request.reset(0x08, failure);
    } else {
      // HTTP/3: Vert.x 5.1.6 refuses to reset a request it has written in full (a GET at once: "Stream already
      // ended"), and then drops its response. Cancel the stream instead (H3_REQUEST_CANCELLED, frees it) and fail the
      // attempt here; whatever Vert.x reports after is ignored.
      request.cancel();
      attempt.outcome.tryFail(failure);
    }
  }

  private HttpClientAgent build(Vertx vertx, boolean pipelining) {
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(config.upstream().host())
        .setDefaultPort(config.upstream().port())
        .setKeepAlive(config.keepAlive())
        .setPipelining(pipelining)
        .setPipeliningLimit(config.pipeliningLimit())
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setTcpNoDelay(true);
    // Below the upstream's idle timeout, so the gateway retires idle connections before the server does.
    options.getHttp1Config().setKeepAliveTimeout(config.keepAliveTimeout());
    options.getHttp2Config().setKeepAliveTimeout(config.keepAliveTimeout());
    if (config.http2()) {
      // h2c with prior knowledge: no HTTP/1.1 upgrade round trip on each new connection.
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
    if (tracker.tls() != null) {
      tracker.tls().apply(options); // https:// upstream: trust, engine, resumption, ALPN (UpstreamTls)
    }
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(config.poolSize())
        .setHttp2MaxSize(config.poolSize())
        .setHttp3MaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue());
    HttpClientBuilder builder = vertx.httpClientBuilder();
    if (config.http3()) {
      // resolvable: the address resolver and load balancer set below must apply to QUIC too (requests pinned in wrap)
      builder.with(Http3Client.resolvable(Http3Client.config(options, config.connectTimeout(), config.keepAliveTimeout())))
          .with(Http3Client.ssl(options));
    } else {
      builder.with(options);
    }
    builder
        .with(pool)
        .withConnectHandler(connection -> {
          tracker.connected(connection);
          ageLimit.watch(connection, tracker::agedOut);
        });
    // Several replicas: a pool per endpoint (the sizes above apply to each), calls spread by the balancer.
    UpstreamNameWatch watch = config.replicas().endpoints().configure(builder, config.replicas().loadBalancer(), vertx);
    if (watch != null) {
      nameWatches.add(watch);
    } else if (!config.replicas().endpoints().several()) {
      // One endpoint, no balancer: resolve the name on each new connection (a re-created upstream is found).
      builder.withAddressResolver(ResolveOnConnect.of(config.upstream()));
    }
    return builder.build();
  }

  private WebClient wrap(HttpClientAgent client) {
    // No redirects: an upstream 3xx is an answer to count, not a second request on another connection. It also
    // spares a copy of the whole HttpClientOptions per response (the WebClient reads maxRedirects from it).
    WebClient web = WebClient.wrap(client, new WebClientOptions().setUserAgentEnabled(false).setFollowRedirects(false));
    if (config.http3()) {
      web.addInterceptor(ctx -> {
        Http3Client.pin(ctx);
        ctx.next();
      });
    }
    web.addInterceptor(this::observe);
    return web;
  }

  /**
   * One GET /item/{id} to the upstream; never fails, the failure is in the result.
   * @param abandoned true once nobody waits for the answer: a call still waiting for a pooled HTTP/1.1 connection
   *     then is not sent (the WebClient cannot withdraw it from the pool's queue, so it is dropped on leaving it)
   * @param deadlineNanos when the fan-out answers ({@link System#nanoTime}), 0 for none: over HTTP/2, HTTP/3 and
   *     pipelining a call still waiting for a connection or stream then leaves the pool's queue, unsent
   */
  public Future<CallResult> call(int id, BooleanSupplier abandoned, long deadlineNanos) {
    // One promise per call and plain callbacks: the hot path of every configuration, so no chain of
    // compose/transform/map futures per attempt.
    Promise<CallResult> done = Promise.promise();
    send(webClient, id, 1, false, System.nanoTime(), abandoned, deadlineNanos, done);
    return done.future();
  }

  /** How long after the fan-out's deadline a call waiting in the pool leaves it: the deadline answers first. */
  static final long POOL_WAIT_MARGIN_MS = 10;

  /**
   * One attempt; when it ends, either the call's result or (when safe, see {@link #retryReason}) another attempt.
   * @param last no retry after this one (the single re-send of an unanswered call)
   */
  private void send(WebClient client, int id, int attemptNumber, boolean last, long start, BooleanSupplier abandoned,
      long deadlineNanos, Promise<CallResult> done) {
    HttpRequest<Void> request = client
        .get(itemUris.of(id))
        // The gateway reports the status, never the body: read and drop it rather than buffer it.
        // No timeout()/idleTimeout(): --request-timeout (the upstream's silence once the call is sent) is enforced by
        // #sweep. timeout() also bounds the wait for a pooled connection, and in Vert.x 5.1 that timer outlives the
        // call (armed after the lease is granted, never cancelled), keeping each call's objects alive for the whole
        // timeout. The wait is bounded by the fan-out's deadline and --max-wait-queue instead.
        .as(BodyCodec.none());
    if (attemptNumber > 1 && config.replicas().loadBalancer() != LoadBalancing.NONE) {
      // Not to a replica that refused a connect and has not answered since (RefusedConnectEjection).
      request.routingKey(RefusedConnectEjection.FAILOVER);
    }
    if (handshakeWaitMillis != 0 && tracker.noneOpen()) {
      request.connectTimeout(handshakeWaitMillis);
    } else if (!dropsAbandonedCalls && deadlineNanos != 0) {
      // Armed by Vert.x only if the call has to wait (a timer per waiting call, none for one served at once).
      request.connectTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))
          + POOL_WAIT_MARGIN_MS);
    }
    Attempt attempt = new Attempt(abandoned);
    Future<HttpResponse<Void>> sent;
    if (lostEnd != null) {
      // The attempt's outcome: the response, or the sweep's failure (#giveUp).
      Promise<HttpResponse<Void>> outcome = Promise.promise();
      attempt.outcome = outcome;
      attempts.put(request, attempt);
      request.send().onComplete(ar -> {
        if (ar.succeeded()) {
          outcome.tryComplete(ar.result());
        } else {
          outcome.tryFail(ar.cause());
        }
      });
      sent = outcome.future();
    } else {
      attempts.put(request, attempt);
      sent = request.send();
    }
    sent.onComplete(ar -> {
      attempts.remove(request);
      long now = System.nanoTime();
      if (attempt.connection != null) {
        tracker.callFinished(attempt.connection, now);
      }
      int status = 0;
      String kind;
      String message;
      if (ar.succeeded()) {
        status = ar.result().statusCode();
        kind = FailureKinds.ofStatus(status);
        message = kind == null ? null : "upstream answered " + status;
      } else {
        kind = FailureKinds.of(ar.cause());
        message = FailureKinds.message(kind, ar.cause(), attempt.use != null && attempt.use.position() == 1
            && !attempt.responseStarted, config.upstream().tls());
        if (attempt.connection == null && "connect_timeout".equals(kind)
            && (abandoned.getAsBoolean() || deadlineNanos != 0 && now - deadlineNanos >= 0)) {
          // Left the pool's queue at the fan-out's deadline (see dropsAbandonedCalls): never sent.
          kind = "abandoned";
          message = ABANDONED_MESSAGE;
        }
      }
      String retry = kind == null || last ? null : retryReason(kind, attempt, attemptNumber, ar.succeeded());
      if (retry != null) {
        metrics.retry(retry);
        boolean refused = "refused_stream".equals(retry);
        send(refused ? webClient : retryClient, id, attemptNumber + 1, !refused, start, abandoned, deadlineNanos, done);
        return;
      }
      ConnectionTracker.Use use = attempt.use;
      boolean fresh = use != null && use.position() == 1;
      CallResult result = new CallResult(status, kind, message, fresh, use == null ? 0 : use.connectionId(),
          now - start, use == null ? null : use.endpoint(), use == null ? null : use.tls());
      metrics.upstreamCall(result.succeeded() ? "success" : result.errorKind(), result.durationNanos());
      health.observed(result, now);
      done.complete(result);
    });
  }

  /**
   * Sends a call again when that is safe: an HTTP/2 stream the server refused was not processed, so it is
   * re-sent until served (bounded); a connect one replica refused goes once to another (with a balancer); an HTTP/1.1 call that failed unanswered on a reused connection is
   * re-sent once (over the retry client when pipelining), and that attempt is the last; so is an HTTP/3 call whose
   * response's end was lost (LostResponseEnd).
   */
  private String retryReason(String kind, Attempt attempt, int attemptNumber, boolean answered) {
    if (!config.retry()) {
      return null;
    }
    // The upstream answered, but the end of its answer was lost on the way (LostResponseEnd): a GET, so safe to send
    // again, once.
    if (attempt.endLost) {
      return attemptNumber == 1 ? "http3_lost_end" : null;
    }
    if ("refused_stream".equals(kind)) {
      return attemptNumber < MAX_REFUSED_ATTEMPTS ? "refused_stream" : null;
    }
    // A refused connect never reached a replica: with several, send it once more, and the balancer (which now skips
    // the refusing one, RefusedConnectEjection) picks another.
    if ("connect_refused".equals(kind) && attemptNumber == 1 && config.replicas().loadBalancer() != LoadBalancing.NONE) {
      return "connect_refused";
    }
    if (attemptNumber > 1 || answered || attempt.responseStarted || attempt.use == null || attempt.use.position() < 2
        || !UNANSWERED.contains(kind)) {
      return null;
    }
    return config.pipelining() ? "unanswered_pipelined" : "stale_connection";
  }

  /** Completes once a balanced name has been resolved once, so that the first fan-out sees every replica. */
  Future<Void> ready() {
    return Future.all(nameWatches.stream().map(UpstreamNameWatch::firstAnswer).toList()).mapEmpty();
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    tracker.shuttingDown();
    nameWatches.forEach(UpstreamNameWatch::close);
    // The WebClients only wrap these two (a WebClient's close() is its HttpClient's close()).
    return httpClient.close().compose(v -> retryHttpClient.close());
  }

  /** The WebClient interceptor: sees which connection carried each request, and what the server answered. */
  private void observe(HttpContext<?> ctx) {
    // Five phases per call pass here; only two need the attempt.
    ClientPhase phase = ctx.phase();
    Attempt attempt = phase == ClientPhase.SEND_REQUEST || phase == ClientPhase.RECEIVE_RESPONSE
        ? attempts.get(ctx.request()) : null;
    if (attempt != null) {
      if (phase == ClientPhase.SEND_REQUEST) {
        if (dropsAbandonedCalls && attempt.abandoned.getAsBoolean()) {
          // Resetting a request not yet written gives its place on the connection back; nothing goes on the wire.
          // The reset is reported to the request's exception handler, which Vert.x would otherwise log as an error.
          ctx.clientRequest().exceptionHandler(ignored -> { });
          ctx.fail(new AbandonedCall());
          return;
        }
        HttpConnection connection = ctx.clientRequest().connection();
        attempt.connection = connection;
        attempt.use = tracker.requestSent(connection);
        attempt.sentAtTick = tick;
        attempt.request = ctx.clientRequest();
      } else if (attempt.connection != null) {
        attempt.headersAtTick = tick; // before responseStarted, which the sweep reads first
        attempt.responseStarted = true;
        tracker.responseReceived(attempt.connection, ctx.clientResponse());
      }
    }
    ctx.next();
  }
}
