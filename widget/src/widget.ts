import { ChatClient, ChatError, type ToolCall } from './api';
import { type Card, type Conversation, ConversationStore, type Entry, entriesFromHistory, entryFrom } from './conversation';
import { type Language, type Texts, pickLanguage, textsFor } from './i18n';
import { el, formatReply, productCard } from './render';
import { styles } from './styles';

export interface WidgetOptions {
  merchantId: string;
  apiKey: string;
  theme?: { primaryColor?: string; position?: 'bottom-right' | 'bottom-left' };
}

const SyncIntervalMs = 3_000;
const MaxAnnouncements = 3;

/** The launcher and the chat panel, in a shadow root appended to the page's body. */
export class Widget {
  private readonly language: Language = pickLanguage();
  private readonly texts: Texts = textsFor(this.language);
  private readonly client: ChatClient;
  private readonly shadow: ShadowRoot;
  private readonly store: ConversationStore;
  private conversation: Conversation;
  private readonly box = el('div', 'ra');
  private readonly launcher = el('button', 'ra-launcher');
  private readonly panel = el('section', 'ra-panel');
  private readonly log = el('div', 'ra-log');
  private readonly announcer = el('div', 'ra-sr');
  private readonly input = el('textarea');
  private readonly sendButton = el('button', 'ra-send');
  private busy = false;
  private lastSync = 0;
  private error: HTMLElement | undefined;

  constructor(options: WidgetOptions, apiBase: string) {
    this.client = new ChatClient(apiBase, options.apiKey);
    this.store = new ConversationStore(`ra.v1.${options.merchantId}`);
    this.conversation = this.store.load();

    const host = el('div');
    host.setAttribute('data-agents-widget', '');
    this.shadow = host.attachShadow({ mode: 'open' });
    // A constructed sheet is not subject to the page's CSP style-src, an inline <style> is.
    if ('adoptedStyleSheets' in this.shadow && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(styles);
      this.shadow.adoptedStyleSheets = [sheet];
    } else {
      this.shadow.appendChild(el('style', undefined, styles));
    }

    this.shadow.appendChild(this.box);
    this.build();
    document.body.appendChild(host);
    this.applyTheme(options.theme);

    this.render();
    if (this.conversation.open) {
      this.open(false);
    }

    void this.sync();
    const resync = (): void => {
      if (document.visibilityState === 'visible') {
        void this.sync();
      }
    };
    document.addEventListener('visibilitychange', resync);
    window.addEventListener('focus', resync);
  }

  open(focus = true): void {
    this.panel.hidden = false;
    this.box.classList.add('ra-open');
    this.launcher.setAttribute('aria-expanded', 'true');
    this.remember(true);
    this.scrollDown();
    if (focus) {
      this.input.focus();
    }
  }

  close(): void {
    const hadFocus = this.panel.contains(this.shadow.activeElement);
    this.panel.hidden = true;
    this.box.classList.remove('ra-open');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.remember(false);
    if (hadFocus) {
      this.launcher.focus();
    }
  }

  private build(): void {
    const t = this.texts;
    this.launcher.type = 'button';
    this.launcher.setAttribute('aria-label', t.launcher);
    this.launcher.setAttribute('aria-controls', 'ra-panel');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.appendChild(chatIcon());
    this.launcher.onclick = () => (this.panel.hidden ? this.open() : this.close());

    this.panel.id = 'ra-panel';
    this.panel.hidden = true;
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-labelledby', 'ra-title');
    this.panel.lang = this.language;
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.close();
      }
    });

    const head = el('header', 'ra-head');
    const title = el('h2', undefined, t.title);
    title.id = 'ra-title';
    const restart = iconButton('↺', t.restart, () => this.restart());
    const close = iconButton('×', t.close, () => this.close());
    head.append(title, restart, close);

    this.log.setAttribute('aria-label', t.conversation);
    this.log.tabIndex = 0;
    this.announcer.setAttribute('aria-live', 'polite');

    const form = el('form', 'ra-form');
    const label = el('label', 'ra-sr', t.placeholder);
    label.htmlFor = 'ra-input';
    this.input.id = 'ra-input';
    this.input.rows = 1;
    this.input.maxLength = 4000;
    this.input.placeholder = t.placeholder;
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.input.addEventListener('input', () => {
      this.input.style.height = 'auto';
      this.input.style.height = `${this.input.scrollHeight}px`;
    });
    this.sendButton.type = 'submit';
    this.sendButton.textContent = t.send;
    form.append(label, this.input, this.sendButton);
    form.onsubmit = (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (text && !this.busy) {
        this.input.value = '';
        this.input.style.height = '';
        void this.send(text);
      }
    };

    this.panel.append(head, this.log, this.announcer, form);
    this.box.append(this.launcher, this.panel);
  }

  private applyTheme(theme: WidgetOptions['theme']): void {
    if (theme?.position === 'bottom-left') {
      this.box.classList.add('ra-left');
    }

    const color = theme?.primaryColor;
    if (color && CSS.supports('color', color)) {
      this.box.style.setProperty('--ra-primary', color);
      // Dark or white text on the merchant's colour, whichever reads better.
      const probe = el('span');
      probe.style.color = color;
      this.box.appendChild(probe);
      const [r = 0, g = 0, b = 0] = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      probe.remove();
      if (0.299 * r + 0.587 * g + 0.114 * b > 170) {
        this.box.style.setProperty('--ra-on-primary', '#111');
      }
    }
  }

  private render(): void {
    this.log.replaceChildren();
    this.error = undefined;
    if (this.conversation.entries.length === 0) {
      this.log.appendChild(this.bubble({ role: 'assistant', text: this.texts.greeting }));
    }

    this.conversation.entries.forEach((entry) => this.append(entry));
    this.scrollDown();
  }

  private append(entry: Entry): HTMLElement {
    const bubble = this.log.appendChild(this.bubble(entry));
    if (entry.cards?.length) {
      const row = el('div', 'ra-cards');
      entry.cards.forEach((card) => row.appendChild(productCard(card, this.language, this.texts, (c) => this.addToCart(c))));
      this.log.appendChild(row);
    }

    return bubble;
  }

  private bubble(entry: Entry): HTMLElement {
    const bubble = el('div', `ra-msg ra-${entry.role}`);
    bubble.appendChild(el('span', 'ra-sr', `${entry.role === 'user' ? this.texts.you : this.texts.assistant}: `));
    if (entry.role === 'user') {
      bubble.appendChild(document.createTextNode(entry.text));
    } else {
      bubble.appendChild(formatReply(entry.text, entry.links ?? [], this.texts));
    }

    return bubble;
  }

  private addToCart(card: Card): void {
    void this.send(this.texts.addMessage(card.sku));
    this.input.focus();
  }

  private async send(text: string, retry = false): Promise<void> {
    if (this.busy) {
      return;
    }

    this.error?.remove();
    if (!retry) {
      if (this.conversation.entries.length === 0) {
        this.log.replaceChildren();
      }

      const entry: Entry = { role: 'user', text };
      this.conversation.entries.push(entry);
      this.store.save(this.conversation);
      this.append(entry);
    }

    this.setBusy(true);
    const typing = el('div', 'ra-typing');
    typing.setAttribute('role', 'status');
    typing.append(el('span', 'ra-sr', this.texts.typing), el('i'), el('i'), el('i'));
    this.log.appendChild(typing);
    this.scrollDown();

    let streamed = '';
    let live: HTMLElement | undefined;
    const calls: ToolCall[] = [];
    try {
      const reply = await this.client.send(text, this.conversation.sessionId, (event) => {
        if (event.type === 'tool') {
          calls.push(event.call);
          return;
        }

        streamed += event.text;
        const bubble = this.bubble(entryFrom('assistant', streamed));
        live ? live.replaceWith(bubble) : typing.replaceWith(bubble);
        live = bubble;
        this.scrollDown();
      });
      const entry = entryFrom('assistant', reply.reply, reply.toolCalls ?? calls, reply.links);
      (live ?? typing).remove();
      this.conversation.sessionId = reply.sessionId;
      this.conversation.entries.push(entry);
      this.store.save(this.conversation);
      this.announce(this.append(entry).textContent ?? '');
    } catch (error) {
      typing.remove();
      live?.remove();
      this.showError(error instanceof ChatError ? error.status : -1, text);
    } finally {
      this.setBusy(false);
      this.scrollDown();
    }
  }

  private showError(status: number, text: string): void {
    const t = this.texts;
    const forbidden = status === 401 || status === 403;
    const message = forbidden ? t.errorForbidden : status === 0 ? t.errorNetwork : status === 429 || status === 503 ? t.errorBusy : t.errorGeneric;
    const box = el('div', 'ra-error', message);
    box.setAttribute('role', 'alert');
    if (!forbidden) {
      const retry = el('button', undefined, t.retry);
      retry.type = 'button';
      retry.onclick = () => {
        void this.send(text, true);
        this.input.focus();
      };
      box.appendChild(retry);
    }

    this.error = box;
    this.log.appendChild(box);
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendButton.disabled = busy;
    this.log.setAttribute('aria-busy', String(busy));
    this.log.querySelectorAll<HTMLButtonElement>('.ra-add:not(.ra-out)').forEach((b) => {
      b.disabled = busy;
    });
  }

  private announce(text: string): void {
    this.announcer.appendChild(el('p', undefined, text));
    while (this.announcer.childElementCount > MaxAnnouncements) {
      this.announcer.firstElementChild?.remove();
    }
  }

  private restart(): void {
    if (this.busy) {
      return;
    }

    this.conversation = { entries: [], open: true };
    this.store.save(this.conversation);
    this.render();
    this.input.focus();
  }

  private remember(open: boolean): void {
    this.conversation.open = open;
    this.store.save(this.conversation);
  }

  /** The server's history wins: the secure pages (register, pay) add messages to the conversation too. */
  private async sync(): Promise<void> {
    const sessionId = this.conversation.sessionId;
    if (!sessionId || this.busy || Date.now() - this.lastSync < SyncIntervalMs) {
      return;
    }

    this.lastSync = Date.now();
    try {
      const messages = await this.client.history(sessionId);
      if (this.busy || sessionId !== this.conversation.sessionId) {
        return;
      }

      const entries = messages ? entriesFromHistory(messages) : [];
      if (JSON.stringify(entries) !== JSON.stringify(this.conversation.entries)) {
        this.conversation = messages ? { ...this.conversation, entries } : { entries: [], open: this.conversation.open ?? false };
        this.store.save(this.conversation);
        this.render();
      }
    } catch {
      // Offline or refused: what is stored locally stays on screen.
    }
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function iconButton(symbol: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', 'ra-icon', symbol);
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.title = label;
  button.onclick = onClick;
  return button;
}

function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z');
  svg.appendChild(path);
  return svg;
}
