import type { Link } from './api';
import type { Card } from './conversation';
import type { Texts } from './i18n';

/** Creates an element; text always goes in as textContent, never as markup. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }

  if (text !== undefined) {
    node.textContent = text;
  }

  return node;
}

export function linkButton(link: Link, texts: Texts): HTMLAnchorElement {
  const a = el('a', 'ra-link', texts.links[link.purpose] ?? texts.openLink);
  a.href = link.url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** WhatsApp-style *bold*, on one piece of plain text. */
function appendBold(parent: Node, text: string): void {
  const pattern = /\*([^*\n]+)\*/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    parent.appendChild(el('strong', undefined, match[1]));
    last = match.index + match[0].length;
  }

  parent.appendChild(document.createTextNode(text.slice(last)));
}

/**
 * A reply as safe DOM: *bold*, line breaks (kept by CSS), and the server's links as buttons where
 * the text names them; links the text does not name follow it. No other text becomes a link.
 */
export function formatReply(text: string, links: readonly Link[], texts: Texts): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const body = el('div', 'ra-text');
  fragment.appendChild(body);
  const pending = [...links];
  let rest = text;
  for (;;) {
    let next: { link: Link; at: number } | undefined;
    for (const link of pending) {
      const at = rest.indexOf(link.url);
      if (at >= 0 && (!next || at < next.at)) {
        next = { link, at };
      }
    }

    if (!next) {
      break;
    }

    appendBold(body, rest.slice(0, next.at));
    body.appendChild(linkButton(next.link, texts));
    rest = rest.slice(next.at + next.link.url.length);
    pending.splice(pending.indexOf(next.link), 1);
  }

  appendBold(body, rest);
  if (pending.length > 0) {
    const row = el('div', 'ra-links');
    pending.forEach((link) => row.appendChild(linkButton(link, texts)));
    fragment.appendChild(row);
  }

  return fragment;
}

function price(card: Card, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency: card.currency }).format(card.price);
  } catch {
    return `${card.price.toFixed(2)} ${card.currency}`.trim();
  }
}

export function productCard(card: Card, language: string, texts: Texts, onAdd: (card: Card) => void): HTMLElement {
  const root = el('article', 'ra-card');
  root.setAttribute('aria-label', card.name);
  const image = el('div', 'ra-card-image');
  if (card.imageUrl) {
    const img = el('img');
    img.src = card.imageUrl;
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    img.referrerPolicy = 'no-referrer';
    img.onerror = () => img.remove();
    image.appendChild(img);
  }

  image.appendChild(el('span', 'ra-card-initial', card.name.charAt(0).toUpperCase()));
  const name = el('div', 'ra-card-name', card.name);
  const cost = el('div', 'ra-card-price', price(card, language));
  const add = el('button', card.inStock ? 'ra-add' : 'ra-add ra-out', card.inStock ? texts.addToCart : texts.outOfStock);
  add.type = 'button';
  add.disabled = !card.inStock;
  add.dataset.sku = card.sku;
  add.setAttribute('aria-label', `${add.textContent}: ${card.name}`);
  add.onclick = () => onAdd(card);
  root.append(image, name, cost, add);
  return root;
}
