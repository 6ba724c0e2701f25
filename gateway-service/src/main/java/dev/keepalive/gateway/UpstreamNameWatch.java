package dev.keepalive.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The replicas behind one DNS name, resolved again every {@link #REFRESH} while the gateway runs.
 *
 * <p>Why not let Vert.x resolve the name: with a load balancer and no resolver, Vert.x 5.1.6 resolves every A
 * record once and keeps that list while calls flow (it resolves again only after 10 s without a call), so a
 * replica added behind the name under load never gets a call (measured: 15 s of fan-outs, none reached it).
 * Here the balancer asks for the latest list on every selection; connections to replicas still listed stay.
 */
final class UpstreamNameWatch {
  /** Also the cap on the DNS cache's TTL (GatewayServer): Docker's DNS answers with 600 s. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private final VertxInternal vertx;
  private final UpstreamAddress name;
  private final long timer;
  private volatile List<SocketAddress> addresses;
  // The gateway listens only once the name has been asked once: a fan-out before that would see one replica.
  private final Promise<Void> firstAnswer = Promise.promise();

  UpstreamNameWatch(Vertx vertx, UpstreamAddress name) {
    this.vertx = (VertxInternal) vertx;
    this.name = name;
    // Until the first answer: the name itself, which the client resolves to one address when it connects.
    this.addresses = List.of(SocketAddress.inetSocketAddress(name.port(), name.host()));
    resolve();
    this.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> resolve());
  }

  private void resolve() {
    vertx.nameResolver().resolveAll(name.host()).onSuccess(found -> {
      if (!found.isEmpty()) {
        // Sorted, so that the same records in another order are the same list (the balancer keeps its state).
        addresses = found.stream()
            .map(a -> SocketAddress.inetSocketAddress(new InetSocketAddress(a.getAddress(), name.port())))
            .sorted(Comparator.comparing(SocketAddress::hostAddress))
            .toList();
      }
      // A failed lookup keeps the last list: a DNS hiccup must not empty the pool of endpoints.
    }).onComplete(done -> firstAnswer.tryComplete());
  }

  /** Completes once the first lookup has answered or failed (a failure leaves the name itself as the one endpoint). */
  Future<Void> firstAnswer() {
    return firstAnswer.future();
  }

  /** Every replica the name resolved to last time. */
  List<SocketAddress> addresses() {
    return addresses;
  }

  void close() {
    vertx.cancelTimer(timer);
  }
}
