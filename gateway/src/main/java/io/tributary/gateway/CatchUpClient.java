package io.tributary.gateway;

import io.tributary.schemas.CatchUpPage;
import io.tributary.schemas.codec.AvroTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;

/** Fetches history ranges from a materializer's read API. */
final class CatchUpClient {

  static {
    AvroTrust.ensure();
  }

  /** The materializer does not know the client file, or its salt does not match. */
  static final class UnknownClientFile extends RuntimeException {
    UnknownClientFile(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient http;
  private final URI base;

  CatchUpClient(Vertx vertx, String materializerUrl) {
    this.http = vertx.createHttpClient();
    this.base = URI.create(materializerUrl);
  }

  Future<CatchUpPage> fetch(String dataset, long after, long ident, long salt) {
    String uri =
        "/v1/datasets/"
            + dataset
            + "/catch-up?after="
            + after
            + "&ident="
            + ident
            + "&salt="
            + salt;
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(uri);
    return http.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> page(response, body.getBytes())));
  }

  private static CatchUpPage page(HttpClientResponse response, byte[] body) {
    if (response.statusCode() == 404 || response.statusCode() == 409) {
      throw new UnknownClientFile(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("materializer answered " + response.statusCode());
    }
    try {
      return CatchUpPage.getDecoder().decode(body);
    } catch (IOException e) {
      throw new IllegalStateException("materializer sent an undecodable page", e);
    }
  }
}
