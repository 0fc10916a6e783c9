/** The shapes of POST /chat (server-sent events) and GET /chat/sessions/{id}/history that the widget reads. */
export interface ToolCall {
  name: string;
  result?: unknown;
}

export interface Link {
  purpose: string;
  url: string;
}

export interface ChatReply {
  sessionId: string;
  reply: string;
  toolCalls: ToolCall[];
  links: Link[];
}

export interface HistoryMessage {
  role: string;
  text: string;
  toolCalls?: ToolCall[] | null;
  links?: Link[] | null;
}

export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool'; call: ToolCall };

/** Why a turn failed: an HTTP status, 0 when the network or CORS refused, -1 when the stream broke off. */
export class ChatError extends Error {
  constructor(readonly status: number) {
    super(`chat failed (${status})`);
  }
}

const TimeoutMs = 90_000;

export class ChatClient {
  constructor(private readonly base: string, private readonly key: string) {}

  /** One turn, streamed: deltas and tool results as they come, then the final reply. */
  send(message: string, sessionId: string | undefined, onEvent: (event: ChatEvent) => void): Promise<ChatReply> {
    return this.request('/chat', {
      method: 'POST',
      // Errors come back as problem details: without the second type the host has no way to write them.
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/problem+json' },
      body: JSON.stringify({ sessionId, message }),
    }, (response) => readReply(response, onEvent));
  }

  /** The server's record of the session (it also holds what the secure pages added), or null when it is gone. */
  async history(sessionId: string): Promise<HistoryMessage[] | null> {
    try {
      return await this.request(`/chat/sessions/${encodeURIComponent(sessionId)}/history`, { method: 'GET' },
        async (response) => ((await response.json()) as { messages: HistoryMessage[] }).messages);
    } catch (error) {
      if (error instanceof ChatError && error.status === 404) {
        return null;
      }

      throw error;
    }
  }

  /** One request and the reading of its body, both within the timeout: a stalled stream is aborted too. */
  private async request<T>(path: string, init: RequestInit, read: (response: Response) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TimeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(this.base + path, {
          ...init,
          headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${this.key}` },
          signal: abort.signal,
          credentials: 'omit',
        });
      } catch {
        throw new ChatError(0);
      }

      if (!response.ok) {
        throw new ChatError(response.status);
      }

      return await read(response);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function readReply(response: Response, onEvent: (event: ChatEvent) => void): Promise<ChatReply> {
  if (!(response.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
    // The server answers JSON when the turn produced no reply (e.g. an ignored customer).
    const body = (await response.json()) as Partial<ChatReply>;
    if (typeof body.reply !== 'string') {
      throw new ChatError(-1);
    }

    return body as ChatReply;
  }

  let reply: ChatReply | undefined;
  await readEvents(response, (name, data) => {
    if (name === 'delta') {
      onEvent({ type: 'delta', text: String((data as { text?: unknown }).text ?? '') });
    } else if (name === 'tool_result') {
      onEvent({ type: 'tool', call: data as ToolCall });
    } else if (name === 'done') {
      reply = data as ChatReply;
    }
  });
  if (!reply) {
    throw new ChatError(-1);
  }

  return reply;
}

/** Reads a text/event-stream body as the host writes it: "event:" and "data:" lines, blocks ended by a blank line. */
async function readEvents(response: Response, onEvent: (name: string, data: unknown) => void): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ChatError(-1);
    }

    if (chunk.done) {
      return;
    }

    buffer += chunk.value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) {
          name = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
      }

      if (data.length > 0) {
        onEvent(name, JSON.parse(data.join('\n')));
      }
    }
  }
}
