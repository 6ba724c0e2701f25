package dev.keepalive.link;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One event loop's share of the link: it accepts connections on the shared port and opens each one's
 * upstream connection from the same event loop, so both sockets and both delay lines need no locks.
 */
final class LinkVerticle extends VerticleBase {
  private final LinkConfig config;
  private final LinkStats stats;
  private NetServer server;
  private NetClient client;

  LinkVerticle(LinkConfig config, LinkStats stats) {
    this.config = config;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    // Connect failures arrive as a close of the incoming connection, not after a long wait.
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    server = vertx.createNetServer(new NetServerOptions().setHost(config.listen().host()).setTcpNoDelay(true))
        .connectHandler(incoming -> LinkedConnection.accept(vertx, client, config, stats, incoming));
    return server.listen(config.listen().port());
  }

  /** Closing the server closes every incoming connection; closing the client, every upstream connection. */
  @Override
  public Future<?> stop() {
    return Future.join(server.close(), client.close());
  }

  int actualPort() {
    return server.actualPort();
  }
}
