import type { Registry } from '../config/create-registry';
import type { LiveMetricsControl } from '../live-metrics/create-live-metrics-service';
import { readJsonBody, sendInspectorJson, stringField, type InspectorRoutes } from './inspector-io';

/** Posts of one resource the Live Metrics view gets per call, at most. */
const MAX_LIVE_POSTS = 120;

/**
 * `GET live` (whether the resource is watched, the posts since `since`, whether the emulator
 * serves a filter configuration) and `POST live` (`{ resource, subscribed }`: watch or stop).
 */
export function liveRoutes(live: LiveMetricsControl, registry: Registry): InspectorRoutes {
  return {
    'GET live': (_req, res, q) => {
      const since = Number(q.get('since') ?? 0) || 0;
      const resourceName = q.get('resource') ?? registry.resources()[0]?.name;
      const ikey = resourceName ? registry.resource(resourceName).instrumentationKey : '';
      const posts = live.received('post').filter((p) => p.timestamp > since && p.instrumentationKey.toLowerCase() === ikey).slice(-MAX_LIVE_POSTS);
      // The filter configuration editor needs an emulator that serves one (its admin endpoint).
      sendInspectorJson(res, 200, { subscribed: live.isSubscribed(resourceName), configurable: 'configuration' in live, posts });
    },
    'POST live': async (req, res) => {
      const body = await readJsonBody(req);
      const resource = stringField(body, 'resource');
      if (body['subscribed'] === true) live.subscribe(resource);
      else live.unsubscribe(resource);
      sendInspectorJson(res, 200, { subscribed: live.isSubscribed(resource) });
    },
  };
}
