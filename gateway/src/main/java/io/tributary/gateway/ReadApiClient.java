package io.tributary.gateway;

import io.tributary.core.model.Renames;
import io.tributary.core.session.CatchUpPage;
import io.tributary.core.session.ReadFailure;
import io.tributary.schemas.CatchUpEntry;
import io.tributary.schemas.StatePage;
import io.tributary.schemas.codec.AvroTrust;
import io.tributary.schemas.readapi.ReadApiStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gateway's client of a materializer's read API: catch-up ranges, state pages and where a
 * client file stands. A refusal fails the future with a {@link ReadApiException} saying what it
 * means to the session ({@link ReadApiStatus}).
 */
final class ReadApiClient {

  static {
    AvroTrust.ensure();
  }

  /** A read that did not answer 200: what it means, and the materializer's words. */
  static final class ReadApiException extends RuntimeException {
    private final ReadFailure failure;

    ReadApiException(ReadFailure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    ReadFailure failure() {
      return failure;
    }

    /** What any failure of a read means: unreachable, unless the read API said otherwise. */
    static ReadFailure of(Throwable error) {
      return error instanceof ReadApiException refused ? refused.failure : ReadFailure.UNAVAILABLE;
    }
  }

  /** Where a dataset's history ends, and the client file's last changeset in it. */
  record Progress(long head, long lastClientVersion) {}

  /** A read that sends nothing for this long fails: the session ends with try-again. */
  static final long READ_TIMEOUT_MILLIS = 30_000;

  /**
   * Reads under way at once. Every session's first sync is one or two reads; with Vert.x's default
   * of 5, a thousand clients connecting together queued behind each other for seconds. The
   * materializer answers each on a worker thread of its own.
   */
  static final int CONNECTIONS = 32;

  private final HttpClient http;
  private final ReadApiRoute route;

  ReadApiClient(Vertx vertx, ReadApiRoute route) {
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    this.route = route;
  }

  Future<Progress> progress(String dataset, long ident, long salt) {
    return get(dataset, "/v1/datasets/" + dataset + "/clients/" + ident + "?salt=" + salt)
        .map(
            body -> {
              JsonObject json = new JsonObject(new String(body, StandardCharsets.UTF_8));
              return new Progress(json.getLong("head"), json.getLong("lastClientVersion"));
            });
  }

  /** The first page of the dataset's state, in a new snapshot at its head. */
  Future<WireStatePage> state(String dataset, long ident, long salt) {
    return get(dataset, "/v1/datasets/" + dataset + "/state?ident=" + ident + "&salt=" + salt)
        .map(ReadApiClient::statePage);
  }

  /** The page of the same snapshot after {@code previous}. */
  Future<WireStatePage> stateNext(String dataset, WireStatePage previous) {
    StatePage page = previous.page();
    return get(
            dataset,
            "/v1/datasets/"
                + dataset
                + "/state?snapshot="
                + page.getSnapshot()
                + "&after="
                + page.getNext())
        .map(ReadApiClient::statePage);
  }

  /**
   * History after {@code after}, whose salt the client has as {@code afterSalt}; its changesets are
   * encoded in {@code renames}' current names when they are sent.
   */
  Future<CatchUpPage> fetch(
      String dataset,
      long after,
      long afterSalt,
      long ident,
      long salt,
      Supplier<Renames> renames) {
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
    return get(dataset, uri).map(body -> page(body, renames));
  }

  /** The body of a 200 answer from the dataset's read API; a failed future for anything else. */
  private Future<byte[]> get(String dataset, String uri) {
    java.util.Optional<URI> base = route.of(dataset);
    if (base.isEmpty()) {
      return Future.failedFuture(
          new ReadApiException(
              ReadFailure.UNAVAILABLE, "no materializer serves the dataset's partition yet"));
    }
    return get(base.get(), uri);
  }

  private Future<byte[]> get(URI base, String uri) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(uri)
            // A materializer that takes a request and stalls must not hold a session for good.
            .setConnectTimeout(READ_TIMEOUT_MILLIS)
            .setIdleTimeout(READ_TIMEOUT_MILLIS);
    return http.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> checked(response, body.getBytes())));
  }

  private static byte[] checked(HttpClientResponse response, byte[] body) {
    ReadApiStatus.failureOf(response.statusCode())
        .ifPresent(
            failure -> {
              throw new ReadApiException(
                  failure,
                  response.statusCode() == ReadApiStatus.OK.code()
                      ? ""
                      : new String(body, StandardCharsets.UTF_8));
            });
    return body;
  }

  private static WireStatePage statePage(byte[] body) {
    try {
      return new WireStatePage(StatePage.getDecoder().decode(body));
    } catch (IOException e) {
      throw new ReadApiException(ReadFailure.UNAVAILABLE, "undecodable state page: " + e);
    }
  }

  private static CatchUpPage page(byte[] body, Supplier<Renames> renames) {
    io.tributary.schemas.CatchUpPage page;
    try {
      page = io.tributary.schemas.CatchUpPage.getDecoder().decode(body);
    } catch (IOException e) {
      throw new ReadApiException(ReadFailure.UNAVAILABLE, "undecodable catch-up page: " + e);
    }
    List<CatchUpItem> items =
        page.getEntries().stream()
            .map((CatchUpEntry entry) -> new CatchUpItem(entry, renames))
            .toList();
    return new CatchUpPage(
        page.getHead(),
        page.getHeadHistoryBytes(),
        page.getAfterHistoryBytes(),
        page.getUploadProgress(),
        items);
  }
}
