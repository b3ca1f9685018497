package io.tributary.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What keeps the admin port for operators: a web page an operator visits must not read it through
 * DNS rebinding (a name of the attacker's that resolves to this machine), nor change anything from
 * another origin, nor frame it.
 *
 * <ul>
 *   <li>{@code Host} must be an IP address, {@code localhost}, or a name from {@code adminHosts}.
 *   <li>A request that changes state must not come from a page of another origin ({@code Origin},
 *       or {@code Sec-Fetch-Site: cross-site}).
 *   <li>Every answer forbids framing and sniffing and sets a content security policy that allows
 *       the admin page's own script and style only.
 * </ul>
 */
final class AdminGuard {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD);

  private final Set<String> names;

  /**
   * @param names host names besides IP addresses and {@code localhost}, lower case
   */
  AdminGuard(Set<String> names) {
    this.names = Set.copyOf(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }

  /** Why {@code request} is refused (status and reason), if it is. */
  Optional<Refusal> refusal(HttpServerRequest request) {
    String host = hostName(request.authority());
    if (host == null || !allowed(host)) {
      return Optional.of(
          new Refusal(
              421,
              "this admin port does not answer to the name "
                  + (host == null ? "(none)" : host)
                  + "; add it to adminHosts"));
    }
    if (!SAFE.contains(request.method()) && crossOrigin(request)) {
      return Optional.of(new Refusal(403, "changes come from the admin page's own origin only"));
    }
    return Optional.empty();
  }

  /** Headers every answer carries. */
  static void protect(HttpServerRequest request) {
    request
        .response()
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }

  record Refusal(int status, String reason) {}

  private boolean allowed(String host) {
    return host.equals("localhost")
        || IPV4.matcher(host).matches()
        || host.contains(":") // An IPv6 literal; names have no colon.
        || names.contains(host);
  }

  /** Whether the request comes from a page of another origin than the one it is sent to. */
  private static boolean crossOrigin(HttpServerRequest request) {
    if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
      return true;
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false; // Not from a browser page (curl, scripts): nothing to forge.
    }
    try {
      URI uri = URI.create(origin);
      HostAndPort target = request.authority();
      return uri.getHost() == null
          || target == null
          || !hostName(uri.getHost()).equals(hostName(target))
          || uri.getPort() != target.port();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** The host the request is sent to, without brackets, lower case; null if none. */
  private static String hostName(HostAndPort authority) {
    return authority == null ? null : hostName(authority.host());
  }

  private static String hostName(String host) {
    String name = host.trim().toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name.isEmpty() ? null : name;
  }
}
