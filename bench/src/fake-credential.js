'use strict';
/**
 * A fake TokenCredential (@azure/core-auth shape) that counts getToken calls and returns a fixed
 * token valid for one hour. Never a DefaultAzureCredential/ManagedIdentityCredential: no I/O.
 */
const TOKEN_LIFETIME_MILLIS = 60 * 60 * 1000;

function createCountingCredential() {
  const calls = [];
  const credential = {
    async getToken(scopes) {
      calls.push(Array.isArray(scopes) ? scopes.join(' ') : String(scopes));
      const now = Date.now();
      return { token: 'bench-fixed-token', expiresOnTimestamp: now + TOKEN_LIFETIME_MILLIS, refreshAfterTimestamp: now + TOKEN_LIFETIME_MILLIS / 2, tokenType: 'Bearer' };
    },
  };
  return { credential, calls };
}

module.exports = { createCountingCredential };
