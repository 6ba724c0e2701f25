package dev.keepalive.common.tls;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/** The TLS protocol versions a side accepts: 1.2 and 1.3, nothing older. */
public record TlsVersions(Set<String> protocols) {

  public static final TlsVersions BOTH = new TlsVersions(Set.of("TLSv1.2", "TLSv1.3"));

  public TlsVersions {
    protocols = Set.copyOf(protocols);
  }

  /** "1.2,1.3", "1.3", "TLSv1.2" … */
  public static TlsVersions parse(String text) {
    Set<String> protocols = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      String v = part.trim().toLowerCase(Locale.ROOT).replaceFirst("^tlsv", "");
      switch (v) {
        case "1.2" -> protocols.add("TLSv1.2");
        case "1.3" -> protocols.add("TLSv1.3");
        default -> throw new CommandLine.TypeConversionException("'" + text + "': TLS versions are 1.2 and 1.3 "
            + "(older ones are broken), comma-separated, e.g. 1.2,1.3");
      }
    }
    return new TlsVersions(protocols);
  }

  public String spec() {
    return String.join(",", protocols.stream().sorted().map(p -> p.replace("TLSv", "")).toList());
  }

  public static final class Converter implements CommandLine.ITypeConverter<TlsVersions> {
    @Override
    public TlsVersions convert(String value) {
      return parse(value);
    }
  }
}
