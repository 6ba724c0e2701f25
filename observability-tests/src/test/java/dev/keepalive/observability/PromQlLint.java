package dev.keepalive.observability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PromQL rules of grafana/dashboard-linter (target-job-rule, target-instance-rule,
 * target-rate-interval-rule, target-counter-agg-rule), on a small tokenizer that finds every series
 * selector and the function around it. Whether an expression parses at all is promtool's job
 * (see DashboardLintTest); this only needs to find selectors reliably in expressions that do.
 */
final class PromQlLint {
  private PromQlLint() {}

  /** A series selector: metric name (null for a bare {...}), its matchers, its range, its enclosing function. */
  record Selector(String metric, Map<String, String> matchers, String range, String function) {}

  private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> OPERATOR_WORDS = Set.of("and", "or", "unless", "bool", "atan2", "inf", "nan");
  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase");
  /** Counter series: Prometheus counters, and the cumulative _bucket/_sum/_count of histograms and summaries. */
  private static final List<String> COUNTER_SUFFIXES = List.of("_total", "_bucket", "_sum", "_count");

  static List<String> problems(String expr) {
    List<String> problems = new ArrayList<>();
    List<Selector> selectors;
    try {
      selectors = selectors(expr);
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
    if (selectors.isEmpty()) {
      problems.add("no series selector");
    }
    for (Selector s : selectors) {
      String name = s.metric() == null ? s.matchers().toString() : s.metric();
      if (!"=~$job".equals(s.matchers().get("job"))) {
        problems.add(name + ": needs job=~\"$job\" (target-job-rule)");
      }
      if (!"=~$instance".equals(s.matchers().get("instance"))) {
        problems.add(name + ": needs instance=~\"$instance\" (target-instance-rule)");
      }
      boolean counter = s.metric() != null && COUNTER_SUFFIXES.stream().anyMatch(s.metric()::endsWith);
      if (counter && (s.range() == null || !COUNTER_FUNCTIONS.contains(s.function()))) {
        problems.add(name + ": a counter must be inside rate, irate or increase (target-counter-agg-rule)");
      }
      if (s.range() != null && !s.range().equals("$__rate_interval")) {
        problems.add(name + ": range [" + s.range() + "] should be [$__rate_interval] (target-rate-interval-rule)");
      }
    }
    return problems;
  }

  // ---- Tokenizer and selector finder.

  private enum Kind { IDENT, STRING, NUMBER, VAR, PUNCT, OP }

  private record Token(Kind kind, String text) {}

  static List<Selector> selectors(String expr) {
    List<Token> t = tokenize(expr);
    List<Selector> out = new ArrayList<>();
    Deque<String> frames = new ArrayDeque<>();
    String pendingFunction = null;
    for (int i = 0; i < t.size(); i++) {
      Token tok = t.get(i);
      String text = tok.text();
      if (tok.kind() == Kind.IDENT) {
        String lower = text.toLowerCase();
        if (GROUPING.contains(lower)) {
          if (i + 1 < t.size() && t.get(i + 1).text().equals("(")) {
            i = closing(t, i + 1, "(", ")");
          }
          continue;
        }
        if (lower.equals("offset")) {
          i++;
          continue;
        }
        if (OPERATOR_WORDS.contains(lower)) {
          continue;
        }
        boolean call = i + 1 < t.size() && t.get(i + 1).text().equals("(");
        boolean aggregation = AGGREGATIONS.contains(lower) && i + 1 < t.size()
            && (call || GROUPING.contains(t.get(i + 1).text().toLowerCase()));
        if (call || aggregation) {
          pendingFunction = lower;
          continue;
        }
        i = selector(t, i, text, frames, out);
      } else if (text.equals("{")) {
        i = selector(t, i - 1, null, frames, out);
      } else if (text.equals("(")) {
        frames.push(pendingFunction == null ? "" : pendingFunction);
        pendingFunction = null;
      } else if (text.equals(")")) {
        if (frames.isEmpty()) {
          throw new IllegalArgumentException("unbalanced ')'");
        }
        frames.pop();
      }
    }
    if (!frames.isEmpty()) {
      throw new IllegalArgumentException("unbalanced '('");
    }
    return out;
  }

  /** Reads a selector starting at the metric name (or just before a bare '{'); returns the last index used. */
  private static int selector(List<Token> t, int i, String metric, Deque<String> frames, List<Selector> out) {
    Map<String, String> matchers = new LinkedHashMap<>();
    int j = i + 1;
    if (j < t.size() && t.get(j).text().equals("{")) {
      int end = closing(t, j, "{", "}");
      for (int k = j + 1; k < end; k++) {
        if (t.get(k).text().equals(",")) {
          continue;
        }
        if (k + 2 >= end || t.get(k).kind() != Kind.IDENT || t.get(k + 1).kind() != Kind.OP
            || t.get(k + 2).kind() != Kind.STRING) {
          throw new IllegalArgumentException("cannot read the matchers of " + metric);
        }
        matchers.put(t.get(k).text(), t.get(k + 1).text() + unquote(t.get(k + 2).text()));
        k += 2;
      }
      j = end + 1;
    }
    String range = null;
    if (j < t.size() && t.get(j).text().equals("[")) {
      int end = closing(t, j, "[", "]");
      StringBuilder sb = new StringBuilder();
      for (int k = j + 1; k < end; k++) {
        sb.append(t.get(k).text());
      }
      range = sb.toString();
      j = end + 1;
    }
    out.add(new Selector(metric, matchers, range, frames.isEmpty() ? "" : frames.peek()));
    return j - 1;
  }

  private static int closing(List<Token> t, int open, String o, String c) {
    int depth = 0;
    for (int k = open; k < t.size(); k++) {
      if (t.get(k).text().equals(o)) {
        depth++;
      } else if (t.get(k).text().equals(c) && --depth == 0) {
        return k;
      }
    }
    throw new IllegalArgumentException("unbalanced '" + o + "'");
  }

  private static String unquote(String s) {
    return s.substring(1, s.length() - 1);
  }

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c) {
          j += (s.charAt(j) == '\\' && c != '`') ? 2 : 1;
        }
        if (j >= s.length()) {
          throw new IllegalArgumentException("unterminated string");
        }
        out.add(new Token(Kind.STRING, s.substring(i, j + 1)));
        i = j + 1;
      } else if (c == '$') {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '{') {
          j = s.indexOf('}', j) + 1;
        } else {
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
          }
        }
        out.add(new Token(Kind.VAR, s.substring(i, j)));
        i = j;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == ':')) {
          j++;
        }
        out.add(new Token(Kind.IDENT, s.substring(i, j)));
        i = j;
      } else if (Character.isDigit(c) || c == '.') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) {
          j++;
        }
        out.add(new Token(Kind.NUMBER, s.substring(i, j)));
        i = j;
      } else if ("(){}[],".indexOf(c) >= 0) {
        out.add(new Token(Kind.PUNCT, String.valueOf(c)));
        i++;
      } else {
        int j = i + 1;
        while (j < s.length() && "=!~<>".indexOf(s.charAt(j)) >= 0 && "=!~<>".indexOf(c) >= 0) {
          j++;
        }
        out.add(new Token(Kind.OP, s.substring(i, j)));
        i = j;
      }
    }
    return out;
  }
}
