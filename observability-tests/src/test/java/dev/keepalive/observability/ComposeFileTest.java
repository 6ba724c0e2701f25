package dev.keepalive.observability;

import static dev.keepalive.observability.Repo.map;
import static dev.keepalive.observability.Repo.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keepalive.common.Cli;
import dev.keepalive.gateway.GatewayCommand;
import dev.keepalive.gateway.GatewayConfig;
import dev.keepalive.gateway.GatewayServer;
import dev.keepalive.link.HostPort;
import dev.keepalive.link.LinkCommand;
import dev.keepalive.upstream.UpstreamCommand;
import dev.keepalive.upstream.UpstreamConfig;
import dev.keepalive.upstream.UpstreamServer;
import io.vertx.core.Future;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docker-compose.yml, validated by docker-compose itself (no engine needed) and read in its normalised form. */
class ComposeFileTest {
  static final List<String> JAVA_SERVICES = List.of("upstream", "gateway-keepalive", "gateway-no-keepalive");

  private final ComposeFile compose = ComposeFile.load();

  @Test
  void dockerComposeValidatesTheFileWithAndWithoutProfiles() {
    for (List<String> cmd : List.of(
        List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"),
        List.of("docker-compose", "-f", "docker-compose.yml", "--profile", "load", "--profile", "wan", "config", "-q"))) {
      Repo.Result r = Repo.run(cmd, Map.of(), Duration.ofSeconds(60));
      assertThat(r.exit()).as("%s: %s", cmd, r.output()).isZero();
    }
  }

  @Test
  void twoGatewaysSideBySideDifferOnlyInKeepAlive() {
    Map<String, String> on = ComposeFile.flags(compose.command("gateway-keepalive"));
    Map<String, String> off = ComposeFile.flags(compose.command("gateway-no-keepalive"));
    assertThat(on).containsEntry("--keep-alive", "true");
    assertThat(off).containsEntry("--keep-alive", "false");
    for (String same : List.of("--upstream", "--port", "--pool-size", "--fan-out")) {
      assertThat(off.get(same)).as(same).isEqualTo(on.get(same)).isNotNull();
    }
    // --keep-alive-timeout only means something with keep-alive on.
    assertThat(off.keySet()).isSubsetOf(on.keySet());
    assertThat(compose.service("gateway-keepalive").get("build")).isEqualTo(compose.service("gateway-no-keepalive").get("build"));
    assertThat(compose.publishedPorts("gateway-keepalive")).doesNotContainAnyElementsOf(compose.publishedPorts("gateway-no-keepalive"));
  }

  @Test
  void everyFlagInTheFileIsOneTheServiceAccepts() {
    // Parsed by the services' own command lines: a typo in the compose file would only show at
    // container start otherwise.
    GatewayConfig on = gatewayConfig(compose.command("gateway-keepalive"));
    GatewayConfig off = gatewayConfig(compose.command("gateway-no-keepalive"));
    assertThat(on.keepAlive()).isTrue();
    assertThat(off.keepAlive()).isFalse();
    assertThat(on.poolSize()).isEqualTo(10);
    assertThat(on.fanOut()).isEqualTo(100);
    // The gateway closes idle connections before the upstream does: no stale keep-alive errors.
    UpstreamConfig upstream = upstreamConfig(compose.command("upstream"));
    assertThat(on.keepAliveTimeout()).isLessThan(upstream.idleTimeout());
  }

  @Test
  void flagsAreOverridableFromTheEnvironment() {
    ComposeFile custom = ComposeFile.load(Map.of(
        "GATEWAY_KEEPALIVE_POOL_SIZE", "3", "GATEWAY_NO_KEEPALIVE_POOL_SIZE", "7", "UPSTREAM_DELAY", "exp:2ms",
        "UPSTREAM_IDLE_TIMEOUT", "30s", "GATEWAY_KEEPALIVE_HOST_PORT", "18080", "LOAD_RATE", "5"));
    assertThat(gatewayConfig(custom.command("gateway-keepalive")).poolSize()).isEqualTo(3);
    assertThat(gatewayConfig(custom.command("gateway-no-keepalive")).poolSize()).isEqualTo(7);
    UpstreamConfig upstream = upstreamConfig(custom.command("upstream"));
    assertThat(upstream.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(upstream.delay()).isEqualTo(dev.keepalive.upstream.Delay.parse("exp:2ms"));
    assertThat(custom.publishedPorts("gateway-keepalive")).containsExactly(18080);
    assertThat(custom.flag("load-keepalive", "--rate")).contains("5");
  }

  @Test
  void imagesArePinnedAndServicesBuildFromMultiStageDockerfiles() {
    compose.services().forEach((name, s) -> {
      Object image = map(s).get("image");
      if (image != null) {
        String tag = String.valueOf(image).replaceFirst("^.*/", "");
        assertThat(tag).as("image of %s is pinned", name).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
      } else {
        assertThat(map(s)).as("%s builds or names an image", name).containsKey("build");
      }
    });
    Map<String, String> dockerfiles = compose.dockerfiles();
    assertThat(dockerfiles).containsEntry("upstream", "upstream-service/Dockerfile")
        .containsEntry("gateway-keepalive", "gateway-service/Dockerfile")
        .containsEntry("gateway-no-keepalive", "gateway-service/Dockerfile")
        .containsEntry("load-keepalive", "load-test/Dockerfile")
        .containsEntry("load-no-keepalive", "load-test/Dockerfile");
    dockerfiles.forEach((service, dockerfile) -> {
      assertThat(String.valueOf(map(compose.service(service).get("build")).get("context")))
          .as("%s builds with the repository root as context", service).isEqualTo(Repo.ROOT.toString());
      String module = dockerfile.substring(0, dockerfile.indexOf('/'));
      String jar = module + ".jar";
      assertThat(Repo.read(dockerfile)).as(dockerfile)
          .contains("FROM maven:3.9-eclipse-temurin-17 AS build")
          .contains("mvn -B -q package -DskipTests -pl " + module + " -am")
          .contains("FROM eclipse-temurin:17-jre")
          .contains("COPY --from=build /src/" + module + "/target/" + jar)
          .containsPattern("ENTRYPOINT \\[\"java\",.*\"-jar\", \"/app/" + jar.replace(".", "\\.") + "\"]");
    });
    // The shaded jar names the Dockerfiles copy are the ones the modules build.
    for (String module : List.of("upstream-service", "gateway-service")) {
      assertThat(Repo.read(module + "/pom.xml")).contains("<outputFile>${project.build.directory}/" + module + ".jar</outputFile>");
    }
    assertThat(Repo.read(".dockerignore")).contains("**/target/", ".git");
  }

  @Test
  void longRunningServicesHaveHealthchecksAndStartInOrder() {
    assertThat(compose.defaultServices()).containsExactlyInAnyOrder(
        "upstream", "gateway-keepalive", "gateway-no-keepalive", "prometheus", "grafana");
    for (String s : compose.defaultServices()) {
      assertThat(strings(map(compose.service(s).get("healthcheck")).get("test"))).as("%s healthcheck", s).isNotEmpty();
    }
    assertThat(compose.dependsOn("gateway-keepalive")).containsEntry("upstream", "service_healthy");
    assertThat(compose.dependsOn("gateway-no-keepalive")).containsEntry("upstream", "service_healthy");
    assertThat(compose.dependsOn("prometheus")).containsKeys("upstream", "gateway-keepalive", "gateway-no-keepalive");
    assertThat(compose.dependsOn("grafana")).containsEntry("prometheus", "service_healthy");
    assertThat(compose.dependsOn("load-keepalive")).containsEntry("gateway-keepalive", "service_healthy");
    assertThat(compose.dependsOn("load-no-keepalive")).containsEntry("gateway-no-keepalive", "service_healthy");
  }

  @Test
  void javaHealthchecksPassAgainstARunningServiceAndFailWithoutOne() throws Exception {
    // The runtime image has bash but no curl; run the very same check here against live services.
    UpstreamServer upstream = await(UpstreamServer.start(UpstreamConfig.defaults()));
    GatewayServer gateway = await(GatewayServer.start(GatewayConfig.defaults(upstream.baseUrl())));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try {
      for (String service : JAVA_SERVICES) {
        int containerPort = Integer.parseInt(compose.flag(service, "--port").orElseThrow());
        int livePort = service.equals("upstream") ? upstream.port() : gateway.port();
        assertThat(healthcheck(service, containerPort, livePort)).as("%s healthcheck against a live service", service).isZero();
        assertThat(healthcheck(service, containerPort, closedPort)).as("%s healthcheck with nothing listening", service).isNotZero();
      }
    } finally {
      await(gateway.close());
      await(upstream.close());
    }
  }

  @Test
  void grafanaIsOpenToAnonymousViewersWithTheDashboardAsHome() {
    Map<String, String> env = compose.environment("grafana");
    assertThat(env).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
        .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
        .containsKey("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
  }

  @Test
  void loadGeneratorsAndNetemAreOffByDefault() {
    for (String gateway : List.of("gateway-keepalive", "gateway-no-keepalive")) {
      String load = "load-" + gateway.substring("gateway-".length());
      assertThat(compose.profiles(load)).containsExactly("load");
      List<String> cmd = compose.command(load);
      assertThat(cmd.get(0)).isEqualTo("run");
      assertThat(ComposeFile.flags(cmd)).containsEntry("--target", "http://" + gateway + ":8080")
          .containsEntry("--upstream-metrics", "http://upstream:8081/metrics")
          .containsKeys("--rate", "--duration");
    }
    Map<String, Object> netem = compose.service("upstream-netem");
    assertThat(compose.profiles("upstream-netem")).containsExactly("wan");
    assertThat(strings(netem.get("cap_add"))).containsExactly("NET_ADMIN");
    assertThat(netem.get("network_mode")).isEqualTo("service:upstream");
    assertThat(String.join(" ", compose.command("upstream-netem"))).contains("tc qdisc replace dev eth0 root netem delay");
  }

  @Test
  void theLinkProfilePutsTheLatencyLinkBetweenBothGatewaysAndTheUpstream() {
    Map<String, String> env = Map.of("GATEWAY_UPSTREAM", "http://upstream-link:8181", "LINK_RTT", "50ms");
    List<String> validate = List.of("docker-compose", "-f", "docker-compose.yml", "--profile", "link", "config", "-q");
    Repo.Result valid = Repo.run(validate, env, Duration.ofSeconds(60));
    assertThat(valid.exit()).as("%s: %s", validate, valid.output()).isZero();
    ComposeFile linked = ComposeFile.load(env);

    assertThat(compose.profiles("upstream-link")).containsExactly("link");
    assertThat(compose.dockerfiles()).containsEntry("upstream-link", "load-test/Dockerfile");
    assertThat(compose.dependsOn("upstream-link")).containsEntry("upstream", "service_healthy");
    assertThat(strings(map(compose.service("upstream-link").get("healthcheck")).get("test"))).isNotEmpty();
    List<String> cmd = linked.command("upstream-link");
    assertThat(cmd.get(0)).isEqualTo("link");
    // Parsed (not run) by the link command itself: a typo would only show at container start otherwise.
    CommandLine.ParseResult flags = new CommandLine(new LinkCommand()).parseArgs(cmd.subList(1, cmd.size()).toArray(String[]::new));
    HostPort listen = flags.matchedOptionValue("--listen", null);
    HostPort to = flags.matchedOptionValue("--to", null);
    assertThat(to).isEqualTo(new HostPort("upstream", Integer.parseInt(compose.flag("upstream", "--port").orElseThrow())));
    assertThat(flags.<Duration>matchedOptionValue("--rtt", null)).isEqualTo(Duration.ofMillis(50));
    for (String gateway : List.of("gateway-keepalive", "gateway-no-keepalive")) {
      assertThat(linked.flag(gateway, "--upstream")).contains("http://upstream-link:" + listen.port());
      assertThat(compose.flag(gateway, "--upstream")).as("without the variable, straight to the upstream")
          .contains("http://upstream:8081");
    }
  }

  private int healthcheck(String service, int containerPort, int port) throws Exception {
    List<String> test = new ArrayList<>(strings(map(compose.service(service).get("healthcheck")).get("test")));
    assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
    String script = test.get(3);
    assertThat(script).contains("/dev/tcp/127.0.0.1/" + containerPort + " ");
    Process p = new ProcessBuilder("timeout", "5", "bash", "-c",
        script.replace("/dev/tcp/127.0.0.1/" + containerPort + " ", "/dev/tcp/127.0.0.1/" + port + " "))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  static GatewayConfig gatewayConfig(List<String> command) {
    CommandLine cl = Cli.commandLine(new GatewayCommand(), "GATEWAY_", Map.of());
    assertThat(cl.execute(command.toArray(String[]::new))).as("gateway accepts %s", command).isZero();
    return cl.getExecutionResult();
  }

  static UpstreamConfig upstreamConfig(List<String> command) {
    CommandLine cl = Cli.commandLine(new UpstreamCommand(), "UPSTREAM_", Map.of());
    assertThat(cl.execute(command.toArray(String[]::new))).as("upstream accepts %s", command).isZero();
    return cl.getExecutionResult();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
