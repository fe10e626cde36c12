const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const DJB2_SEED = 5381;
const MIN_HASH_INPUT_CHARS = 8;

/**
 * Application Insights' sampling score of a trace id, in [0, 100]: the djb2 hash (32-bit signed
 * arithmetic, input repeated until at least 8 characters) made positive and scaled, as the
 * Application Insights SDKs compute it (`getSamplingHashCode`). An item is kept at sampling
 * percentage p when its score is below p, so every service sampling at the same percentage keeps
 * the same traces. `0af7651916cd43dd8448eb211c80319c` scores 52.7889...; an empty id scores 0.
 */
export function samplingScore(traceId: string): number {
  if (!traceId) return 0;
  let input = traceId;
  while (input.length < MIN_HASH_INPUT_CHARS) input += input;
  let hash = DJB2_SEED;
  for (let i = 0; i < input.length; i++) {
    hash = (((hash << 5) + hash) | 0) + input.charCodeAt(i);
    hash |= 0;
  }
  const positive = hash <= INT32_MIN ? INT32_MAX : Math.abs(hash);
  return (positive / INT32_MAX) * 100;
}
