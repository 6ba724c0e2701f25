package dev.keepalive.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.observability.Dashboard.Panel;
import dev.keepalive.observability.Dashboard.Target;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboard, checked as grafana/dashboard-linter would (title, description and unit on every panel,
 * templated datasource, job and instance variables and matchers, counters rated over $__rate_interval),
 * every expression parsed by promtool, and the layout the issue asks for.
 */
class DashboardLintTest {
  /** Units Grafana knows, the subset dashboard-linter's panel-units-rule lists that fits this lab. */
  private static final Set<String> UNITS = Set.of("none", "short", "percent", "percentunit", "s", "ms", "µs", "ns",
      "bytes", "decbytes", "ops", "reqps", "rps", "cps", "Bps", "binBps");

  private final Dashboard dashboard = Dashboard.main();

  @Test
  void isAClassicJsonDashboardGrafanaCanProvision() {
    JsonObject json = dashboard.json;
    assertThat(json.getInteger("schemaVersion")).isIn(41, 42);
    assertThat(dashboard.uid()).isEqualTo("keepalive-lab");
    assertThat(dashboard.title()).isNotBlank();
    // A provisioned dashboard must not carry a database id from the instance it was exported from.
    assertThat(json.getValue("id")).isNull();
    List<Panel> panels = dashboard.panels();
    assertThat(panels).isNotEmpty();
    assertThat(panels).extracting(Panel::type).allMatch(t -> Set.of("timeseries", "stat", "gauge").contains(t));
    assertThat(panels).extracting(Panel::id).doesNotHaveDuplicates();
    for (Panel p : panels) {
      assertThat(p.x() + p.w()).as("%s fits the 24-column grid", p).isBetween(1, 24);
      assertThat(p.x()).as("%s x", p).isGreaterThanOrEqualTo(0);
      assertThat(p.h()).as("%s height", p).isPositive();
      for (Panel q : panels) {
        boolean overlap = p != q && p.x() < q.x() + q.w() && q.x() < p.x() + p.w()
            && p.y() < q.y() + q.h() && q.y() < p.y() + p.h();
        assertThat(overlap).as("%s overlaps %s", p, q).isFalse();
      }
    }
    // Every JSON file in the dashboards directory gets provisioned: keep their uids distinct.
    assertThat(Dashboard.all()).extracting(Dashboard::uid).doesNotHaveDuplicates().doesNotContain("");
  }

  @Test
  void templateVariablesFollowTheLinterRules() {
    JsonObject ds = dashboard.variable("datasource").orElseThrow(() -> new AssertionError("no datasource variable"));
    assertThat(ds.getString("type")).isEqualTo("datasource");
    assertThat(ds.getString("query")).isEqualTo("prometheus");
    for (String name : List.of("job", "instance")) {
      JsonObject v = dashboard.variable(name).orElseThrow(() -> new AssertionError("no " + name + " variable"));
      assertThat(v.getString("type")).as("%s type", name).isEqualTo("query");
      assertThat(Dashboard.datasourceUid(v.getValue("datasource"))).as("%s datasource", name).isIn("$datasource", "${datasource}");
      assertThat(v.getString("label")).as("%s label", name).isEqualTo(Character.toUpperCase(name.charAt(0)) + name.substring(1));
      assertThat(v.getBoolean("multi", false)).as("%s multi", name).isTrue();
      assertThat(v.getBoolean("includeAll", false)).as("%s includeAll", name).isTrue();
      assertThat(v.getString("allValue")).as("%s allValue", name).isEqualTo(".+");
      assertThat(Dashboard.variableQuery(v)).as("%s query", name).startsWith("label_values(").contains(name + ")");
      // Reload on time range change, so a restarted service's new instance shows up.
      assertThat(v.getInteger("refresh")).as("%s refresh", name).isEqualTo(2);
    }
    assertThat(Dashboard.variableQuery(dashboard.variable("instance").orElseThrow())).contains("job=~\"$job\"");
  }

  @Test
  void everyPanelHasTitleDescriptionUnitAndTheTemplatedDatasource() {
    for (Panel p : dashboard.panels()) {
      assertThat(p.title()).as("panel %d title", p.id()).isNotBlank();
      assertThat(p.description()).as("%s description", p).isNotBlank().hasSizeGreaterThan(60);
      assertThat(p.unit()).as("%s unit", p).isIn(UNITS);
      assertThat(p.datasourceUid()).as("%s datasource", p).isIn("$datasource", "${datasource}");
      assertThat(p.targets()).as("%s targets", p).isNotEmpty();
      for (Target t : p.targets()) {
        assertThat(t.datasourceUid()).as("%s target %s datasource", p, t.refId()).isIn("$datasource", "${datasource}");
        assertThat(t.expr()).as("%s target %s expr", p, t.refId()).isNotBlank();
        assertThat(t.legend()).as("%s target %s legend", p, t.refId()).isNotBlank();
      }
      assertThat(p.targets()).extracting(Target::refId).doesNotHaveDuplicates();
    }
  }

  /**
   * The connection counters count QUIC connections as well as TCP ones (label protocol): a panel that sums over the label
   * must not describe its lines as TCP only (a panel that once said "Solid: TCP connections ...").
   */
  @Test
  void panelsThatCountConnectionsOfEveryProtocolDoNotCallThemTcpOnly() {
    java.util.regex.Pattern counters = java.util.regex.Pattern.compile("(?<![a-z_])(gateway_upstream_connections_opened_total"
        + "|upstream_connections_accepted_total|gateway_upstream_connections_active|upstream_connections_active"
        + "|gateway_upstream_connections_closed_total)");
    java.util.regex.Pattern tcpOnly = java.util.regex.Pattern.compile("TCP (connection|handshake)");
    int checked = 0;
    for (Panel p : dashboard.panels()) {
      boolean summedOverProtocol = p.targets().stream().map(Target::expr)
          .anyMatch(e -> counters.matcher(e).find() && !e.contains("protocol)"));
      if (summedOverProtocol) {
        checked++;
        if (tcpOnly.matcher(p.description()).find()) {
          assertThat(p.description()).as("%s counts QUIC connections too", p).contains("QUIC");
        }
      }
    }
    assertThat(checked).as("panels summing connections over the protocol label").isGreaterThanOrEqualTo(5);
  }

  @Test
  void everyQueryFiltersByJobAndInstanceAndRatesCountersOverTheRateInterval() {
    List<String> problems = new ArrayList<>();
    for (Panel p : dashboard.panels()) {
      for (Target t : p.targets()) {
        PromQlLint.problems(t.expr()).forEach(problem -> problems.add(p.title() + " / " + t.refId() + ": " + problem));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyQueryParses(@TempDir Path dir) throws IOException {
    // promtool parses PromQL offline when it checks recording rules: one rule per panel query.
    GrafanaVariables vars = new GrafanaVariables(Map.of("job", List.of("gateway-keepalive", "upstream"),
        "instance", List.of("upstream:8081")), Duration.ofSeconds(5), Duration.ofMinutes(15), 1000);
    List<Map<String, Object>> rules = new ArrayList<>();
    Map<String, String> where = new LinkedHashMap<>();
    for (Panel p : dashboard.panels()) {
      for (Target t : p.targets()) {
        String record = "panel_" + p.id() + "_" + t.refId();
        rules.add(Map.of("record", record, "expr", vars.expand(t.expr())));
        where.put(record, p.title() + " / " + t.refId());
      }
    }
    Path file = dir.resolve("panels.rules.yml");
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(file, new Yaml(options).dump(Map.of("groups", List.of(Map.of("name", "panels", "rules", rules)))));

    Repo.Result r = Repo.run("promtool", "check", "rules", file.toString());
    assertThat(r.exit()).as("promtool check rules (records: %s):%n%s", where, r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
  }

  @Test
  void topRowTellsTheStoryPerGateway() {
    List<Panel> top = dashboard.panels().stream().filter(p -> p.y() == 0).sorted((a, b) -> a.x() - b.x()).toList();
    assertThat(top).extracting(Panel::title).containsExactly(
        "Handshakes per gateway request", "Upstream requests per connection", "Gateway p99 latency",
        "Upstream call error rate");
    assertThat(top).extracting(Panel::type).containsOnly("stat");
    for (Panel p : top) {
      // One value per gateway: grouped by job and named after it.
      assertThat(p.targets()).allSatisfy(t -> {
        assertThat(t.legend()).isEqualTo("{{job}}");
        assertThat(t.expr()).containsAnyOf("by (job)", "by (job, le)");
      });
    }
    String handshakes = top.get(0).targets().get(0).expr();
    assertThat(handshakes.indexOf("gateway_upstream_connections_opened_total"))
        .as("connections opened divided by fan-out requests")
        .isNotNegative().isLessThan(handshakes.indexOf("/")).isLessThan(handshakes.indexOf("gateway_fanout_requests_total"));
    assertThat(top.get(2).targets().get(0).expr()).contains("histogram_quantile(0.99", "gateway_fanout_duration_seconds_bucket");
  }

  @Test
  void panelsBelowCoverConnectionsLatencyErrorsAndJvm() {
    List<Panel> below = dashboard.panels().stream().filter(p -> p.y() > 0).toList();
    assertThat(below).anySatisfy(p -> assertThat(exprs(p))
        .as("connections opened per second against upstream calls per second")
        .contains("gateway_upstream_connections_opened_total", "gateway_upstream_requests_total"));
    assertThat(below).anySatisfy(p -> assertThat(exprs(p)).as("active connections and pool wait queue")
        .contains("gateway_upstream_connections_active", "vertx_pool_queue_pending{"));
    assertThat(below).anySatisfy(p -> assertThat(exprs(p)).as("gateway latency percentiles")
        .contains("histogram_quantile(0.99", "gateway_fanout_duration_seconds_bucket"));
    assertThat(below).anySatisfy(p -> assertThat(exprs(p)).as("per-call latency percentiles")
        .contains("histogram_quantile(0.99", "gateway_upstream_request_duration_seconds_bucket"));
    assertThat(below).anySatisfy(p -> assertThat(exprs(p)).as("errors by kind")
        .contains("sum by (job, outcome)", "outcome!=\"success\"", "gateway_upstream_retries_total"));
    assertThat(below).anySatisfy(p -> assertThat(exprs(p)).as("JVM basics").contains("jvm_memory_used_bytes"));
    // HTTP/3 (issue 18): connections opened per protocol, tcp against quic, on both sides.
    assertThat(below).anySatisfy(p -> {
      assertThat(p.targets()).extracting(Target::expr).anySatisfy(e -> assertThat(e)
          .contains("sum by (job, protocol)", "gateway_upstream_connections_opened_total"));
      assertThat(p.targets()).extracting(Target::expr).anySatisfy(e -> assertThat(e)
          .contains("sum by (job, protocol)", "upstream_connections_accepted_total"));
      assertThat(p.targets()).extracting(Target::legend).allMatch(l -> l.contains("{{protocol}}"));
      assertThat(p.description()).contains("quic", "tcp");
    });
    // Every gateway metric the issue names is on the dashboard somewhere.
    String all = String.join("\n", dashboard.panels().stream().map(DashboardLintTest::exprs).toList());
    assertThat(all).contains("gateway_upstream_connections_closed_total", "vertx_pool_queue_time_seconds_bucket",
        "upstream_request_duration_seconds_bucket", "upstream_connections_accepted_total");
    Set<String> titles = new HashSet<>();
    dashboard.panels().forEach(p -> assertThat(titles.add(p.title())).as("unique title %s", p.title()).isTrue());
  }

  private static String exprs(Panel p) {
    return String.join("\n", p.targets().stream().map(Target::expr).toList());
  }
}
