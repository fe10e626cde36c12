/** Options for one token request. */
export interface TokenRequestOptions {
  /** Claims from a `WWW-Authenticate` challenge (base64 or JSON), passed to the credential. */
  claims?: string;
  /** Abort the acquisition (the provider also applies its own timeout). */
  abortSignal?: AbortSignal;
}

/**
 * A cached bearer token source for one (credential, scope) pair. Shared by every exporter that
 * uses the same credential object and scope.
 */
export interface TokenProvider {
  /** The scope tokens are requested for, e.g. `https://monitor.azure.com/.default`. */
  readonly scope: string;
  /**
   * A valid access token string. Throws `CredentialUnavailableError` or
   * `CredentialAuthenticationError` (never a raw credential error) when none can be had.
   */
  getToken(options?: TokenRequestOptions): Promise<string>;
  /** Drop the cached token (after a 401); the next `getToken()` acquires a new one. */
  invalidate(): void;
}
