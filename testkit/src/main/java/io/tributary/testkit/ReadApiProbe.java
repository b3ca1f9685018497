package io.tributary.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a materializer's state through its read API, as an operator would. */
public final class ReadApiProbe {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;

  public ReadApiProbe(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Every object of the dataset, as the materializer has it. */
  public JsonNode objects(String dataset) {
    return json("/v1/datasets/" + dataset + "/objects");
  }

  /** The dataset's last materialized server version. */
  public long head(String dataset) {
    return json("/v1/datasets/" + dataset + "/head").path("head").asLong();
  }

  private JsonNode json(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
