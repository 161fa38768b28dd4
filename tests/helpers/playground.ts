// Speaking to a running Agents Playground through its own HTTP API, and reading what it streams: shared by the
// Playground walk-throughs.
import type { PlaygroundHandle } from '../../scripts/playground';

/** One message the Playground streams over its WebSocket. */
export interface Frame {
  action: string;
  actionConversationId: string;
  message?: { messageId: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
}

/** All a person reads in a streamed message: its card, or its text. */
export const textOf = (f: Frame | undefined) => JSON.stringify(f?.message?.attachments?.[0]?.content ?? f?.message?.text ?? '');

/** A POST to the Playground's API; throws with its answer when it refuses. */
export async function playgroundPost(playground: PlaygroundHandle, pathname: string, body: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${playground.port}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Playground ${pathname} answered ${res.status}: ${await res.text()}`);
}

interface PlaygroundFile {
  tenantId: string;
  bot: { id: string; name: string };
}

/**
 * Someone other than the Playground's current user speaks or presses a button (the Playground itself types as
 * its current user only): a custom activity into the given conversation.
 */
export function asSomeone(
  playground: PlaygroundHandle,
  file: PlaygroundFile,
  user: { id: string; name: string; aadObjectId: string },
  conversation: { id: string; conversationType: 'personal' | 'groupChat' },
  fields: Record<string, unknown>,
): Promise<void> {
  return playgroundPost(playground, '/_internal/v1/customActivities', {
    type: 'message',
    id: `custom-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: `http://localhost:${playground.port}/_connector`,
    locale: 'nl-NL',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: file.bot.id, name: file.bot.name },
    conversation: { ...conversation, ...(conversation.conversationType === 'groupChat' ? { isGroup: true } : {}), tenantId: file.tenantId },
    channelData: { tenant: { id: file.tenantId } },
    ...fields,
  });
}
