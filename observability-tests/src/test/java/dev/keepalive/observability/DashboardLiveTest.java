package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.list;
import static dev.keepalive.observability.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.gateway.UpstreamAddress;
import dev.keepalive.observability.Dashboard.Panel;
import dev.keepalive.observability.Dashboard.Target;
import dev.keepalive.observability.PrometheusProcess.QueryResult;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboard against real data: the upstream and both gateways of docker-compose.yml (their flags
 * parsed from it) run embedded on loopback under a bounded load, a real Prometheus scrapes them with
 * the project's prometheus.yml, and every panel query is evaluated the way Grafana would send it.
 *
 * <p>The Prometheus config differs from the project's only in its targets (loopback ports instead of
 * compose service names) and its scrape interval, shortened from 5s to 1s so that $__rate_interval
 * (4 scrapes) fills in seconds rather than 20s.
 */
class DashboardLiveTest {
  /** Panels that may legitimately return nothing: a healthy run has no errors to show. */
  static final Set<String> MAY_BE_EMPTY = Set.of("Upstream errors by kind");

  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
  /** /fanout requests per second and gateway: 500 upstream connections a second without keep-alive. */
  private static final int FANOUTS_PER_SECOND = 5;
  /** Upper bound on the load, whatever happens to the tests. */
  private static final Duration MAX_LOAD = Duration.ofSeconds(120);
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static UpstreamServer upstream;
  private static final Map<String, GatewayServer> gateways = new LinkedHashMap<>();
  private static final Map<String, AtomicLong> fanoutsOk = new ConcurrentHashMap<>();
  private static ScheduledExecutorService load;
  private static PrometheusProcess prometheus;
  private static GrafanaVariables variables;
  // What the set-up found, once every target was up; each test runs on its own, in any order.
  private static final Map<String, String> targetHealth = new LinkedHashMap<>();
  private static List<String> jobValues;
  private static List<String> instanceValues;
  private static final Dashboard dashboard = Dashboard.main();

  @BeforeAll
  static void startServicesLoadAndPrometheus() throws Exception {
    ComposeFile compose = ComposeFile.load();
    PrometheusConfig config = PrometheusConfig.load();

    // The compose file's flags, on loopback and a free port.
    UpstreamConfig u = ComposeFileTest.upstreamConfig(compose.command("upstream"));
    upstream = ComposeFileTest.await(UpstreamServer.start(u.with(b -> {
      b.host = "127.0.0.1";
      b.port = 0;
      b.metricsPort = -1;
    })));

    // Each job's target names its compose service: run that service's gateway, flags and all.
    Map<String, String> liveTargets = new LinkedHashMap<>();
    for (var e : config.targets().entrySet()) {
      String job = e.getKey();
      String service = URI.create("http://" + e.getValue().get(0)).getHost();
      if (service.equals("upstream")) {
        liveTargets.put(job, "127.0.0.1:" + upstream.port());
        continue;
      }
      GatewayConfig g = ComposeFileTest.gatewayConfig(compose.command(service));
      GatewayServer server = ComposeFileTest.await(GatewayServer.start(g.with(b -> {
        b.host = "127.0.0.1";
        b.port = 0;
        b.metricsPort = -1;
        b.upstream = UpstreamAddress.parse(upstream.baseUrl());
      })));
      gateways.put(job, server);
      liveTargets.put(job, "127.0.0.1:" + server.port());
    }
    assertThat(gateways).containsOnlyKeys("gateway-keepalive", "gateway-no-keepalive");
    assertThat(gateways.get("gateway-keepalive").config().keepAlive()).isTrue();
    assertThat(gateways.get("gateway-no-keepalive").config().keepAlive()).isFalse();

    startLoad();
    prometheus = PrometheusProcess.start(liveConfig(config, liveTargets), Duration.ofSeconds(30));
    awaitTargetsAndVariables(config.targets().keySet());
  }

  /** Waits for every job's target to be up, then reads the template variables' values as Grafana would. */
  private static void awaitTargetsAndVariables(Set<String> jobs) throws Exception {
    Await.tryUntil(DEADLINE, () -> {
      targetHealth.clear();
      JsonArray active = prometheus.getJson("/api/v1/targets").getJsonObject("data", new JsonObject())
          .getJsonArray("activeTargets", new JsonArray());
      for (Object o : active) {
        JsonObject t = (JsonObject) o;
        targetHealth.put(t.getJsonObject("labels").getString("job"), t.getString("health"));
      }
      return targetHealth.keySet().equals(jobs) && targetHealth.values().stream().allMatch("up"::equals);
    });
    // The template variables' own queries list what Grafana would offer.
    jobValues = labelValues("job", "up");
    instanceValues = labelValues("instance", "up{job=~\"" + alternation(jobValues) + "\"}");
    // Every job and instance selected, as a multi-value pick of each: regex alternations.
    variables = new GrafanaVariables(Map.of("job", jobValues, "instance", instanceValues), SCRAPE_INTERVAL,
        Duration.ofMinutes(15), 1000);
  }

  /** The project's prometheus.yml with loopback targets and a 1s scrape interval, nothing else changed. */
  private static String liveConfig(PrometheusConfig config, Map<String, String> liveTargets) {
    Map<String, Object> root = config.root;
    map(root.get("global")).put("scrape_interval", SCRAPE_INTERVAL.toSeconds() + "s");
    map(root.get("global")).put("scrape_timeout", SCRAPE_INTERVAL.toSeconds() + "s");
    for (Object o : list(root.get("scrape_configs"))) {
      Map<String, Object> job = map(o);
      String live = liveTargets.get(String.valueOf(job.get("job_name")));
      // DNS discovery (the upstream's replicas in compose) becomes the loopback target here.
      job.remove("dns_sd_configs");
      job.put("static_configs", List.of(Map.of("targets", List.of(live))));
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  private static void startLoad() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    load = Executors.newScheduledThreadPool(gateways.size() + 1);
    gateways.forEach((job, server) -> {
      AtomicLong ok = fanoutsOk.computeIfAbsent(job, j -> new AtomicLong());
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/fanout"))
          .timeout(Duration.ofSeconds(10)).build();
      load.scheduleAtFixedRate(() -> {
        try {
          HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok.incrementAndGet();
          }
        } catch (Exception e) {
          // Counted by the gateway's own metrics; the load simply goes on.
        }
      }, 0, 1000 / FANOUTS_PER_SECOND, TimeUnit.MILLISECONDS);
    });
    load.schedule(load::shutdownNow, MAX_LOAD.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (load != null) {
      load.shutdownNow();
      load.awaitTermination(15, TimeUnit.SECONDS);
    }
    if (prometheus != null) {
      prometheus.close();
    }
    for (GatewayServer g : gateways.values()) {
      ComposeFileTest.await(g.close());
    }
    if (upstream != null) {
      ComposeFileTest.await(upstream.close());
    }
  }

  @Test
  void prometheusScrapesEveryJobOfTheProjectConfig() throws Exception {
    Set<String> jobs = PrometheusConfig.load().targets().keySet();
    assertThat(targetHealth).as("scrape targets\n%s", prometheus.log()).containsOnlyKeys(jobs.toArray(String[]::new))
        .allSatisfy((job, h) -> assertThat(h).as(job).isEqualTo("up"));
    assertThat(jobValues).containsExactlyInAnyOrderElementsOf(jobs);
    assertThat(instanceValues).hasSize(jobs.size());
    assertThat(variables.rateInterval()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void handshakesPerGatewayRequestReadZeroWithKeepAliveAndTheFanOutWithout() throws Exception {
    String expr = variables.expand(topPanel("Handshakes per gateway request").targets().get(0).expr());
    Map<String, Double> last = new LinkedHashMap<>();
    // Waits until the rate window holds only warm-pool traffic (the first fan-out opened the pool).
    Await.tryUntil(DEADLINE, () -> {
      last.clear();
      last.putAll(prometheus.query(expr).byLabel("job"));
      Double on = last.get("gateway-keepalive");
      Double off = last.get("gateway-no-keepalive");
      return on != null && off != null && on < 0.5 && Math.abs(off - 100) < 10;
    });
    assertThat(fanoutsOk.values()).allSatisfy(n -> assertThat(n.get()).as("fan-outs answered").isPositive());
    assertThat(last).as("handshakes per /fanout, by gateway (%s)", expr).containsOnlyKeys("gateway-keepalive", "gateway-no-keepalive");
    assertThat(last.get("gateway-keepalive")).as("keep-alive: a warm pool opens nothing").isLessThan(0.5);
    assertThat(last.get("gateway-no-keepalive")).as("keep-alive off: one handshake per call").isCloseTo(100.0,
        org.assertj.core.data.Offset.offset(10.0));
  }

  @Test
  void requestsPerConnectionAndErrorRateTellTheGatewaysApart() throws Exception {
    String expr = variables.expand(topPanel("Upstream requests per connection").targets().get(0).expr());
    Map<String, Double> perConnection = new LinkedHashMap<>();
    Await.tryUntil(DEADLINE, () -> {
      perConnection.clear();
      perConnection.putAll(prometheus.query(expr).byLabel("job"));
      Double on = perConnection.get("gateway-keepalive");
      Double off = perConnection.get("gateway-no-keepalive");
      return on != null && off != null && on > 20 && off > 0.8 && off < 1.2;
    });
    assertThat(perConnection).as("upstream calls per connection, by gateway (%s)", expr)
        .containsOnlyKeys("gateway-keepalive", "gateway-no-keepalive");
    assertThat(perConnection.get("gateway-keepalive")).as("calls per pooled connection").isGreaterThan(20.0);
    assertThat(perConnection.get("gateway-no-keepalive")).as("one call per connection").isBetween(0.8, 1.2);

    Map<String, Double> errors = prometheus.query(
        variables.expand(topPanel("Upstream call error rate").targets().get(0).expr())).byLabel("job");
    assertThat(errors).containsOnlyKeys("gateway-keepalive", "gateway-no-keepalive");
    assertThat(errors.values()).allSatisfy(rate -> assertThat(rate).isLessThan(0.01));
  }

  @Test
  void everyPanelQueryReturnsData() throws Exception {
    Map<String, String> empty = new LinkedHashMap<>();
    for (Panel p : dashboard.panels()) {
      for (Target t : p.targets()) {
        String expr = variables.expand(t.expr());
        String where = p.title() + " / " + t.refId();
        QueryResult[] r = new QueryResult[1];
        // Some series appear only after their first event (a GC pause, a closed connection): poll briefly.
        // The top row's rates need a few scrapes of both gateways: wait for them too, whichever test ran first.
        Await.tryUntil(p.y() == 0 ? DEADLINE : Duration.ofSeconds(15), () -> {
          r[0] = prometheus.query(expr);
          return !r[0].ok() || (r[0].hasNumber() || MAY_BE_EMPTY.contains(p.title()))
              && (p.y() != 0 || r[0].byLabel("job").keySet().containsAll(gateways.keySet()));
        });
        assertThat(r[0].ok()).as("%s: Prometheus rejected%n%s%n%s", where, expr, r[0].body()).isTrue();
        if (!r[0].hasNumber() && !MAY_BE_EMPTY.contains(p.title())) {
          empty.put(where, expr + " -> " + r[0].result());
        }
        if (p.y() == 0) {
          // The top row compares the gateways: one value for each of them.
          assertThat(r[0].byLabel("job").keySet()).as(where).containsExactlyInAnyOrderElementsOf(gateways.keySet());
        }
      }
    }
    assertThat(empty).as("panel queries without data").isEmpty();
  }

  private static Panel topPanel(String title) {
    return dashboard.panels().stream().filter(p -> p.y() == 0 && p.title().equals(title)).findFirst()
        .orElseThrow(() -> new AssertionError("no top-row panel " + title));
  }

  private static List<String> labelValues(String label, String match) {
    JsonObject body = prometheus.getJson("/api/v1/label/" + label + "/values?match[]="
        + URLEncoder.encode(match, StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>(new TreeSet<>(body.getJsonArray("data", new JsonArray()).getList()));
    return out;
  }

  private static String alternation(List<String> values) {
    return String.join("|", values.stream().map(v -> v.replace(".", "\\\\.")).toList());
  }
}
