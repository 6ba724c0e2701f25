package dev.keepalive.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A provisioned dashboard (classic JSON model), read with Vert.x's JsonObject. */
final class Dashboard {
  static final String DIRECTORY = "grafana/dashboards";

  final Path file;
  final JsonObject json;

  private Dashboard(Path file, JsonObject json) {
    this.file = file;
    this.json = json;
  }

  static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(Repo.path(DIRECTORY))) {
      List<Dashboard> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(new Dashboard(f, new JsonObject(Files.readString(f))));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lab's dashboard, the Grafana home page. */
  static Dashboard main() {
    return all().stream().filter(d -> d.uid().equals("keepalive-lab")).findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard with uid keepalive-lab under " + DIRECTORY));
  }

  String uid() {
    return json.getString("uid", "");
  }

  String title() {
    return json.getString("title", "");
  }

  record Target(String refId, String expr, String legend, String datasourceUid) {}

  record Panel(int id, String type, String title, String description, String unit, String datasourceUid,
      int x, int y, int w, int h, List<Target> targets) {
    @Override
    public String toString() {
      return "panel '" + title + "'";
    }
  }

  List<Panel> panels() {
    List<Panel> out = new ArrayList<>();
    for (Object o : json.getJsonArray("panels", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      JsonObject grid = p.getJsonObject("gridPos", new JsonObject());
      List<Target> targets = new ArrayList<>();
      for (Object t : p.getJsonArray("targets", new JsonArray())) {
        JsonObject tj = (JsonObject) t;
        targets.add(new Target(tj.getString("refId"), tj.getString("expr"), tj.getString("legendFormat"),
            datasourceUid(tj.getValue("datasource"))));
      }
      String unit = Optional.ofNullable(p.getJsonObject("fieldConfig"))
          .map(f -> f.getJsonObject("defaults")).map(d -> d.getString("unit")).orElse(null);
      out.add(new Panel(p.getInteger("id", -1), p.getString("type"), p.getString("title"), p.getString("description"),
          unit, datasourceUid(p.getValue("datasource")), grid.getInteger("x", -1), grid.getInteger("y", -1),
          grid.getInteger("w", 0), grid.getInteger("h", 0), targets));
    }
    return out;
  }

  Optional<JsonObject> variable(String name) {
    for (Object o : json.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray())) {
      JsonObject v = (JsonObject) o;
      if (name.equals(v.getString("name"))) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** A datasource reference is either the old string form or {type, uid}. */
  static String datasourceUid(Object datasource) {
    if (datasource instanceof JsonObject o) {
      return o.getString("uid");
    }
    return datasource == null ? null : String.valueOf(datasource);
  }

  static String variableQuery(JsonObject variable) {
    Object q = variable.getValue("query");
    return q instanceof JsonObject o ? o.getString("query") : String.valueOf(q);
  }
}
