import type { HistoryMessage, Link, ToolCall } from './api';

/** A product as a card shows it, read from a tool result (search_products, list_products, get_product). */
export interface Card {
  sku: string;
  name: string;
  price: number;
  currency: string;
  inStock: boolean;
  imageUrl?: string;
}

export interface Entry {
  role: 'user' | 'assistant';
  text: string;
  cards?: Card[];
  links?: Link[];
}

export interface Conversation {
  sessionId?: string;
  entries: Entry[];
  /** Whether the panel was open, so it stays open from page to page. */
  open?: boolean;
}

const MaxEntries = 60;
const MaxCards = 5;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Only absolute http(s) URLs from the server are ever used: never a javascript: or relative one. */
export const safeUrl = (value: unknown): string | undefined => {
  if (typeof value !== 'string') {
    return undefined;
  }

  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
};

function card(value: unknown, inStock?: boolean): Card | undefined {
  if (!isRecord(value) || typeof value.sku !== 'string' || typeof value.name !== 'string' || typeof value.price !== 'number') {
    return undefined;
  }

  const result: Card = {
    sku: value.sku,
    name: value.name,
    price: value.price,
    currency: typeof value.currency === 'string' ? value.currency.trim() : '',
    inStock: inStock ?? value.inStock !== false,
  };
  const imageUrl = safeUrl(value.imageUrl);
  if (imageUrl) {
    result.imageUrl = imageUrl;
  }

  return result;
}

/** The products a turn's tools returned, in order, one card per SKU (details win over search hits). */
export function cardsFrom(calls: readonly ToolCall[]): Card[] {
  const cards = new Map<string, Card>();
  for (const { name, result } of calls) {
    if (!isRecord(result)) {
      continue;
    }

    const found = name === 'get_product' && result.found === true && isRecord(result.product)
      ? [card(result.product, typeof result.product.stock === 'number' ? result.product.stock > 0 : undefined)]
      : (name === 'search_products' || name === 'list_products') && Array.isArray(result.items) ? result.items.map((i) => card(i)) : [];
    for (const c of found) {
      if (c) {
        cards.set(c.sku, { ...cards.get(c.sku), ...c });
      }
    }
  }

  return [...cards.values()].slice(0, MaxCards);
}

export function entryFrom(role: Entry['role'], text: string, calls?: readonly ToolCall[] | null, links?: readonly Link[] | null): Entry {
  const entry: Entry = { role, text };
  const cards = cardsFrom(calls ?? []);
  const safeLinks = (links ?? []).flatMap((l) => {
    const url = safeUrl(l.url);
    return url ? [{ purpose: String(l.purpose), url }] : [];
  });
  if (cards.length > 0) {
    entry.cards = cards;
  }

  if (safeLinks.length > 0) {
    entry.links = safeLinks;
  }

  return entry;
}

export const entriesFromHistory = (messages: readonly HistoryMessage[]): Entry[] =>
  messages.filter((m) => typeof m.text === 'string' && m.text.length > 0)
    .map((m) => entryFrom(m.role === 'user' ? 'user' : 'assistant', m.text, m.toolCalls, m.links));

/** Kept in localStorage per merchant, so the conversation survives page loads; memory only where storage is refused. */
export class ConversationStore {
  private memory: Conversation = { entries: [] };

  constructor(private readonly key: string) {}

  load(): Conversation {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(this.key) ?? 'null');
      if (isRecord(stored) && Array.isArray(stored.entries)) {
        this.memory = stored as unknown as Conversation;
      }
    } catch {
      // Storage disabled or corrupt: start from memory.
    }

    return this.memory;
  }

  save(conversation: Conversation): void {
    conversation.entries = conversation.entries.slice(-MaxEntries);
    this.memory = conversation;
    try {
      localStorage.setItem(this.key, JSON.stringify(conversation));
    } catch {
      // Quota or privacy mode: the conversation lasts as long as the page.
    }
  }
}
