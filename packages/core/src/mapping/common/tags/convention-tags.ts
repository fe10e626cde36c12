import { CONTEXT_TAG } from '../../../contracts/context-tag';
import { ATTR } from '../attributes/attribute-keys';
import type { AttributeReader } from '../attributes/attribute-reader';

/** `ai.operation.syntheticSource` of items whose `user_agent.synthetic.type` is set (bot, test). */
const SYNTHETIC_SOURCE_VALUE = 'True';

/** Whether an item is synthetic (`user_agent.synthetic.type` set: bot, test); consumes the attribute. */
export const isSyntheticItem = (reader: AttributeReader): boolean => Boolean(reader.string(ATTR.SYNTHETIC_TYPE));

/**
 * The Microsoft attribute conventions that set context tags on any item (span, span event, log),
 * winning over what the item's other attributes gave: `microsoft.operation_name` / `ai.operation.name`
 * -> `ai.operation.name`; `user_agent.synthetic.type` -> `ai.operation.syntheticSource` = `True`;
 * `microsoft.client.ip` -> `ai.location.ip`. Consumes the attributes it maps; returns `tags`.
 */
export function addConventionTags(tags: Record<string, string>, reader: AttributeReader): Record<string, string> {
  const operationName = reader.string(ATTR.OPERATION_NAME_OVERRIDE);
  if (operationName) tags[CONTEXT_TAG.OPERATION_NAME] = operationName;
  if (isSyntheticItem(reader)) tags[CONTEXT_TAG.OPERATION_SYNTHETIC_SOURCE] = SYNTHETIC_SOURCE_VALUE;
  const clientIp = reader.string(ATTR.CLIENT_IP_OVERRIDE);
  if (clientIp) tags[CONTEXT_TAG.LOCATION_IP] = clientIp;
  return tags;
}
