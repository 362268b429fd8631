// The quick fix of uuid-taken: the host's UUID given to a definition that has the name of one of its
// guests or networks, so that define replaces that object instead of being refused as a new one.
import { indexOf, lineEnding, lineIndent } from './featureSupport';
import type { Fixer } from './quickFix';
import { definitionUuidFinding, writtenUuid } from './rules/definitionUuid';
import { firstChild } from './rules/common';

export const giveHostUuid: Fixer = (p, _d, env) => {
  const index = indexOf(env.ctx);
  const finding = index ? definitionUuidFinding(env.model, index) : null;
  if (!finding?.restore || finding.span.start !== p.span.start) return [];
  const { owner, uuid } = finding.restore;
  const title = `Give it the host's UUID (${uuid})`;
  const given = writtenUuid(owner, env.text);
  if (given) return [{ title, edits: [{ span: given.span, newText: uuid }], isPreferred: true }];
  const empty = firstChild(owner, 'uuid');
  if (empty)
    return [
      {
        title,
        edits: [
          empty.endTagStart !== null
            ? { span: { start: empty.startTagEnd, end: empty.endTagStart }, newText: uuid }
            : { span: { start: empty.start, end: empty.end }, newText: `<uuid>${uuid}</uuid>` },
        ],
        isPreferred: true,
      },
    ];
  // after <name>, where virsh dumpxml writes it
  const name = firstChild(owner, 'name');
  if (!name) return [];
  const indent = lineIndent(env.text, name.start);
  const newText = indent === null ? `<uuid>${uuid}</uuid>` : `${lineEnding(env.text)}${indent}<uuid>${uuid}</uuid>`;
  return [{ title, edits: [{ span: { start: name.end, end: name.end }, newText }], isPreferred: true }];
};
