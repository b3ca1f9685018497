package io.tributary.gateway;

import io.tributary.schemas.CatchUpPage;
import io.tributary.schemas.StatePage;
import io.tributary.schemas.codec.AvroTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;

/** Fetches history ranges from a materializer's read API. */
final class CatchUpClient {

  static {
    AvroTrust.ensure();
  }

  /** The client's history at its downloaded version differs from the server's: it must reset. */
  static final class HistoryDiverged extends RuntimeException {
    HistoryDiverged(String message) {
      super(message, null, false, false);
    }
  }

  /** The materializer released a state snapshot before the transfer was over. */
  static final class StateExpired extends RuntimeException {
    StateExpired(String message) {
      super(message, null, false, false);
    }
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

  /** Where a dataset's history ends, and the client file's last changeset in it. */
  record Progress(long head, long lastClientVersion) {}

  Future<Progress> progress(String dataset, long ident, long salt) {
    return get("/v1/datasets/" + dataset + "/clients/" + ident + "?salt=" + salt)
        .map(
            body -> {
              JsonObject json = new JsonObject(Buffer.buffer(body));
              return new Progress(json.getLong("head"), json.getLong("lastClientVersion"));
            });
  }

  /** The first page of the dataset's state, in a new snapshot at its head. */
  Future<StatePage> state(String dataset, long ident, long salt) {
    return get("/v1/datasets/" + dataset + "/state?ident=" + ident + "&salt=" + salt)
        .map(CatchUpClient::statePage);
  }

  /** The next page of a state snapshot. */
  Future<StatePage> stateNext(String dataset, String snapshot, String after) {
    return get("/v1/datasets/" + dataset + "/state?snapshot=" + snapshot + "&after=" + after)
        .map(CatchUpClient::statePage);
  }

  private static StatePage statePage(byte[] body) {
    try {
      return StatePage.getDecoder().decode(body);
    } catch (IOException e) {
      throw new IllegalStateException("materializer sent an undecodable state page", e);
    }
  }

  /** History after {@code after}, whose salt the client has as {@code afterSalt}. */
  Future<CatchUpPage> fetch(String dataset, long after, long afterSalt, long ident, long salt) {
    String uri =
        "/v1/datasets/"
            + dataset
            + "/catch-up?after="
            + after
            + "&afterSalt="
            + afterSalt
            + "&ident="
            + ident
            + "&salt="
            + salt;
    return get(uri).map(CatchUpClient::page);
  }

  /** The body of a 200 answer; a failed future for anything else. */
  private Future<byte[]> get(String uri) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(uri);
    return http.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> checked(response, body.getBytes())));
  }

  private static byte[] checked(HttpClientResponse response, byte[] body) {
    if (response.statusCode() == 410) {
      throw new StateExpired(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (response.statusCode() == 412) {
      throw new HistoryDiverged(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (response.statusCode() == 404 || response.statusCode() == 409) {
      throw new UnknownClientFile(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("materializer answered " + response.statusCode());
    }
    return body;
  }

  private static CatchUpPage page(byte[] body) {
    try {
      return CatchUpPage.getDecoder().decode(body);
    } catch (IOException e) {
      throw new IllegalStateException("materializer sent an undecodable page", e);
    }
  }
}
