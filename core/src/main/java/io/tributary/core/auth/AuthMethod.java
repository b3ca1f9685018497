package io.tributary.core.auth;

/** How a client proved who it is; permission rules are configured per method. */
public enum AuthMethod {
  /** {@code --unsecured-no-authentication}: development only, everything allowed. */
  UNSECURED("unsecured"),
  /** One secret for every client. */
  SHARED_SECRET("sharedSecret"),
  /** A signed JSON Web Token, whose claims the permission rules read. */
  JWT("jwt"),
  /** A backend's API key, for the backend API only (never the sync port); its claim is its name. */
  API_KEY("apiKey");

  private final String configName;

  AuthMethod(String configName) {
    this.configName = configName;
  }

  /** The name of the method in the configuration's {@code permissions} section. */
  public String configName() {
    return configName;
  }
}
