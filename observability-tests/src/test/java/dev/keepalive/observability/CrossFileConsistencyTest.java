package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.list;
import static dev.keepalive.observability.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports, job names, mount paths and the datasource uid agree across compose, Prometheus, provisioning and dashboards. */
class CrossFileConsistencyTest {
  private static final String DATASOURCES = "grafana/provisioning/datasources/prometheus.yml";
  private static final String DASHBOARD_PROVIDERS = "grafana/provisioning/dashboards/keepalive.yml";

  private final ComposeFile compose = ComposeFile.load();
  private final PrometheusConfig prometheus = PrometheusConfig.load();

  /** The port a compose service listens on inside its container, from its own flags. */
  private int listenPort(String service) {
    return compose.flag(service, "--port")
        .or(() -> compose.flag(service, "--web.listen-address").map(a -> a.substring(a.lastIndexOf(':') + 1)))
        .map(Integer::parseInt)
        .orElseGet(() -> service.equals("grafana") ? 3000 : -1);
  }

  /** Where a service serves /metrics and /health: its --metrics-port (the management port) when set. */
  private int managementPort(String service) {
    return compose.flag(service, "--metrics-port").map(Integer::parseInt).orElseGet(() -> listenPort(service));
  }

  @Test
  void prometheusScrapesEveryServiceAtThePortItListensOn() {
    Map<String, List<String>> targets = prometheus.targets();
    // Each Java service is one job, named after its compose service.
    assertThat(targets.keySet()).containsExactlyInAnyOrderElementsOf(ComposeFileTest.JAVA_SERVICES);
    targets.forEach((job, list) -> {
      URI target = URI.create("http://" + list.get(0));
      assertThat(target.getHost()).as("target of job %s", job).isEqualTo(job);
      assertThat(target.getPort()).as("port of job %s", job).isEqualTo(managementPort(job));
      if (target.getPort() == listenPort(job)) {
        assertThat(compose.targetPorts(job)).as("published container port of %s", job).contains(target.getPort());
      }
      String dockerfile = compose.dockerfiles().get(job);
      assertThat(Repo.read(dockerfile)).as("%s EXPOSE", dockerfile).contains("EXPOSE " + target.getPort());
    });
  }

  @Test
  void servicesPointAtEachOtherByComposeNameAndPort() {
    for (String gateway : List.of("gateway-keepalive", "gateway-no-keepalive")) {
      URI upstream = URI.create(compose.flag(gateway, "--upstream").orElseThrow());
      assertThat(upstream.getHost()).isEqualTo("upstream");
      assertThat(upstream.getPort()).isEqualTo(listenPort("upstream"));
      String load = "load-" + gateway.substring("gateway-".length());
      URI target = URI.create(compose.flag(load, "--target").orElseThrow());
      assertThat(target.getHost()).isEqualTo(gateway);
      assertThat(target.getPort()).isEqualTo(listenPort(gateway));
      URI metrics = URI.create(compose.flag(load, "--upstream-metrics").orElseThrow());
      assertThat(metrics.getHost() + ":" + metrics.getPort()).isEqualTo("upstream:" + managementPort("upstream"));
      // The gateways' health probes go to the management port too: they are not upstream traffic.
      URI probe = URI.create(compose.flag(gateway, "--upstream-health-url").orElseThrow());
      assertThat(probe.getHost() + ":" + probe.getPort()).isEqualTo("upstream:" + managementPort("upstream"));
    }
    assertThat(managementPort("upstream")).as("upstream has a management port").isNotEqualTo(listenPort("upstream"));
    {
    }
  }

  @Test
  void prometheusReadsTheProjectConfigWhereComposeMountsIt() {
    String mounted = compose.mountTarget("prometheus", PrometheusConfig.FILE)
        .orElseThrow(() -> new AssertionError("prometheus does not mount " + PrometheusConfig.FILE));
    assertThat(compose.flag("prometheus", "--config.file")).contains(mounted);
    assertThat(compose.targetPorts("prometheus")).contains(listenPort("prometheus"));
  }

  @Test
  void grafanaProvisioningDatasourceAndDashboardsPointAtMountedFiles() {
    // Only the folders the lab provisions: mounting the whole provisioning folder read-only hides Grafana's own
    // alerting/ and plugins/ folders, and it logs an error for each at every start.
    assertThat(compose.mountTarget("grafana", "grafana/provisioning")).isEmpty();
    assertThat(compose.mountTarget("grafana", "grafana/provisioning/datasources")).contains("/etc/grafana/provisioning/datasources");
    assertThat(compose.mountTarget("grafana", "grafana/provisioning/dashboards")).contains("/etc/grafana/provisioning/dashboards");
    String dashboards = compose.mountTarget("grafana", Dashboard.DIRECTORY)
        .orElseThrow(() -> new AssertionError("grafana does not mount " + Dashboard.DIRECTORY));

    Map<String, Object> providers = Repo.yamlFile(DASHBOARD_PROVIDERS);
    assertThat(providers.get("apiVersion")).isEqualTo(1);
    List<Object> list = list(providers.get("providers"));
    assertThat(list).hasSize(1);
    assertThat(map(map(list.get(0)).get("options")).get("path")).isEqualTo(dashboards);

    // The home dashboard is a mounted file, and it is the lab's dashboard.
    String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertThat(home).startsWith(dashboards + "/");
    Path homeFile = Repo.path(Dashboard.DIRECTORY).resolve(home.substring(dashboards.length() + 1));
    assertThat(homeFile).exists();
    assertThat(Dashboard.main().file).isEqualTo(homeFile);

    Map<String, Object> ds = datasource();
    URI url = URI.create(String.valueOf(ds.get("url")));
    assertThat(url.getHost()).isEqualTo("prometheus");
    assertThat(url.getPort()).isEqualTo(listenPort("prometheus"));
    assertThat(ds.get("type")).isEqualTo("prometheus");
  }

  @Test
  void datasourceUidAndScrapeIntervalAgreeWithTheDashboardAndPrometheus() {
    Map<String, Object> file = Repo.yamlFile(DATASOURCES);
    assertThat(file.get("apiVersion")).isEqualTo(1);
    assertCamelCaseKeys(file, "");
    Map<String, Object> ds = datasource();
    assertThat(String.valueOf(ds.get("uid"))).isNotBlank();
    assertThat(map(ds.get("jsonData")).get("timeInterval")).as("timeInterval = scrape_interval")
        .isEqualTo(prometheus.scrapeIntervalText());
    // The dashboard's datasource variable defaults to the provisioned datasource.
    for (Dashboard d : Dashboard.all()) {
      Object current = d.variable("datasource").orElseThrow().getJsonObject("current").getValue("value");
      assertThat(current).as("%s datasource default", d.file).isEqualTo(ds.get("uid"));
    }
    assertThat(Files.exists(Repo.path(DASHBOARD_PROVIDERS))).isTrue();
  }

  private static Map<String, Object> datasource() {
    List<Object> list = list(Repo.yamlFile(DATASOURCES).get("datasources"));
    assertThat(list).hasSize(1);
    return map(list.get(0));
  }

  /** Grafana provisioning reads camelCase keys; snake_case ones are silently ignored. */
  private static void assertCamelCaseKeys(Object node, String path) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        assertThat(String.valueOf(k)).as("key %s%s", path, k).matches("[a-z][A-Za-z0-9]*");
        assertCamelCaseKeys(v, path + k + ".");
      });
    } else if (node instanceof List<?> l) {
      l.forEach(e -> assertCamelCaseKeys(e, path));
    }
  }
}
