package io.tributary.server;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An address to listen on, as {@code host:port} ({@code 0.0.0.0:9980}, {@code [::1]:9980}), or as a
 * URL with a scheme ({@code http://127.0.0.1:9980}, {@code ws://0.0.0.0:9999}).
 *
 * @param scheme the URL's scheme, or null for {@code host:port}
 */
record HostPort(String scheme, String host, int port) {

  /**
   * Reads an address; {@code name} says which setting it is, for the one line that refuses it.
   *
   * @param defaultPort the port when the address names none
   * @throws IllegalArgumentException naming the setting and showing a good example
   */
  static HostPort parse(String name, String text, int defaultPort, String example) {
    String trimmed = text.trim();
    String withScheme = trimmed.contains("://") ? trimmed : "tcp://" + trimmed;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw bad(name, text, example);
    }
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    if (uri.getHost() == null
        || (uri.getPort() < 0
            && uri.getRawAuthority() != null
            && uri.getRawAuthority().endsWith(":"))
        || port > 65_535
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
        || uri.getQuery() != null) {
      throw bad(name, text, example);
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(trimmed.contains("://") ? uri.getScheme() : null, host, port);
  }

  private static IllegalArgumentException bad(String name, String text, String example) {
    return new IllegalArgumentException(
        name + " \"" + text + "\" is not an address to listen on: give host:port, e.g. " + example);
  }

  @Override
  public String toString() {
    String address = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    return scheme == null ? address : scheme + "://" + address;
  }
}
