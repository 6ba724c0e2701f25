// Benchmark harness, not part of the product: the reference column of scripts/bench.
//
// The least a Vert.x gateway can do per request: one HttpServer, N WebClient GETs to the upstream, Future.all,
// a two-field JSON answer. No metrics, no connection tracking, no retries, no timeouts, no limits. Like the product,
// one verticle instance per event loop, each with its own client and its share of the pool (so no call crosses
// threads), and the same client options on the wire (keep-alive, pipelining, h2c with prior knowledge, no
// User-Agent). Run from source against the gateway's fat jar, which brings Vert.x and the native transports:
//
//   java -cp gateway-service/target/gateway-service.jar bench/BareGateway.java --port 8090 \
//     --upstream 127.0.0.1:8081 --fan-out 100 --pool-size 10 --instances 2 [--keep-alive=false] [--http2] \
//     [--pipelining --pipelining-limit 100] [--transport auto|nio|epoll|io_uring]
import dev.keepalive.common.TransportChoice;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

public class BareGateway {
  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      if (eq > 0) a.put(arg.substring(0, eq), arg.substring(eq + 1));
      else if (i + 1 < args.length && !args[i + 1].startsWith("--")) a.put(arg, args[++i]);
      else a.put(arg, "true");
    }
    int port = Integer.parseInt(a.getOrDefault("--port", "8090"));
    String[] upstream = a.getOrDefault("--upstream", "127.0.0.1:8081").replaceFirst("^http://", "").split(":");
    int fanOut = Integer.parseInt(a.getOrDefault("--fan-out", "100"));
    int poolSize = Integer.parseInt(a.getOrDefault("--pool-size", "10"));
    int instances = Integer.parseInt(a.getOrDefault("--instances", "1"));
    boolean keepAlive = Boolean.parseBoolean(a.getOrDefault("--keep-alive", "true"));
    boolean http2 = Boolean.parseBoolean(a.getOrDefault("--http2", "false"));
    boolean pipelining = Boolean.parseBoolean(a.getOrDefault("--pipelining", "false"));
    int pipeliningLimit = Integer.parseInt(a.getOrDefault("--pipelining-limit", "10"));
    TransportChoice transport = TransportChoice.valueOf(a.getOrDefault("--transport", "auto").toUpperCase(Locale.ROOT));

    Vertx vertx = transport.build(Vertx.builder(), "bare-gateway");
    int lanes = Math.min(instances, poolSize);
    AtomicInteger lane = new AtomicInteger();
    vertx.deployVerticle(() -> new VerticleBase() {
      WebClient client;

      @Override
      public Future<?> start() {
        int n = lane.getAndIncrement() % lanes;
        int share = poolSize / lanes + (n < poolSize % lanes ? 1 : 0);
        HttpClientOptions options = new HttpClientOptions()
            .setDefaultHost(upstream[0]).setDefaultPort(Integer.parseInt(upstream[1]))
            .setKeepAlive(keepAlive).setPipelining(pipelining).setPipeliningLimit(pipeliningLimit).setTcpNoDelay(true);
        if (http2) options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        HttpClientAgent http = vertx.httpClientBuilder().with(options)
            .with(new PoolOptions().setHttp1MaxSize(share).setHttp2MaxSize(share).setMaxWaitQueueSize(-1)).build();
        client = WebClient.wrap(http, new WebClientOptions().setUserAgentEnabled(false));
        return vertx.createHttpServer().requestHandler(req -> {
          List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>(fanOut);
          for (int i = 1; i <= fanOut; i++) {
            calls.add(client.get("/item/" + i).send());
          }
          Future.all(calls).onComplete(all -> {
            int ok = 0;
            for (Future<HttpResponse<Buffer>> f : calls) {
              if (f.succeeded() && f.result().statusCode() == 200) ok++;
            }
            req.response().setStatusCode(ok == fanOut ? 200 : 502).putHeader("content-type", "application/json")
                .end("{\"calls\":" + fanOut + ",\"succeeded\":" + ok + "}");
          });
        }).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare gateway listening on http://127.0.0.1:" + port + " transport "
            + TransportChoice.inUse(vertx).label() + " fan-out " + fanOut + " pool " + poolSize + " instances " + instances))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }
}
