import { CONTEXT_TAG } from '../../../contracts/context-tag';
import { ATTR } from '../attributes/attribute-keys';
import type { AttributeReader } from '../attributes/attribute-reader';

/**
 * End-user context tags shared by spans and logs: `ai.user.id` (`enduser.pseudo.id`),
 * `ai.user.authUserId` (`enduser.id`), `ai.session.id` (`session.id`), `ai.user.userAgent`
 * (`user_agent.original` / `http.user_agent`). Consumes the attributes it maps.
 */
export function userTags(reader: AttributeReader): Record<string, string> {
  return addUserTags({}, reader);
}

/** Writes the {@link userTags} into `tags` (after the keys it already has) and returns it. */
export function addUserTags(tags: Record<string, string>, reader: AttributeReader): Record<string, string> {
  putIfSet(tags, CONTEXT_TAG.USER_ID, reader.string(ATTR.ENDUSER_PSEUDO_ID));
  putIfSet(tags, CONTEXT_TAG.USER_AUTH_USER_ID, reader.string(ATTR.ENDUSER_ID));
  putIfSet(tags, CONTEXT_TAG.SESSION_ID, reader.string(ATTR.SESSION_ID));
  putIfSet(tags, CONTEXT_TAG.USER_AGENT, reader.string(ATTR.USER_AGENT));
  return tags;
}

function putIfSet(tags: Record<string, string>, tag: string, value: string | undefined): void {
  if (value) tags[tag] = value;
}
