import { Widget, type WidgetOptions } from './widget';

/** The page's `ra(...)`: the loader snippet's stub queues calls in `q` until this script runs. */
interface Ra {
  (command: string, options?: unknown): void;
  q?: ArrayLike<unknown>[];
  loaded?: boolean;
}

const PublishableKey = /^pk_(test|live)_[0-9A-Za-z]{43}$/;
const prefix = '[agents widget]';

// Captured now: currentScript is only set while this script first runs. The API lives where the script came from.
const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="/widget/v1/widget.js"]');
const apiBase = new URL(script?.src ?? location.href).origin;
const page = window as unknown as { ra?: Ra };
let widget: Widget | undefined;

function options(value: unknown): WidgetOptions | undefined {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Partial<WidgetOptions>;
  if (typeof o.apiKey === 'string' && o.apiKey.startsWith('sk_')) {
    console.error(`${prefix} a secret key (sk_…) must never be put in a web page: revoke it and use the publishable key (pk_…).`);
    return undefined;
  }

  if (typeof o.merchantId !== 'string' || o.merchantId.length === 0 || typeof o.apiKey !== 'string' || !PublishableKey.test(o.apiKey)) {
    console.error(`${prefix} ra('init', { merchantId, apiKey: 'pk_…' }) needs the merchant id and its publishable key.`);
    return undefined;
  }

  return o as WidgetOptions;
}

function run(command: string, value?: unknown): void {
  if (command === 'init') {
    const valid = options(value);
    if (widget) {
      console.warn(`${prefix} already initialised.`);
    } else if (valid) {
      widget = new Widget(valid, apiBase);
    }
  } else if (command === 'open' || command === 'close') {
    widget?.[command]();
  } else {
    console.warn(`${prefix} unknown command '${command}'.`);
  }
}

function start(): void {
  const queued = Array.from(page.ra?.q ?? []);
  const ra: Ra = (command, value) => run(command, value);
  ra.loaded = true;
  page.ra = ra;
  queued.forEach((args) => run(String(args[0]), args[1]));
}

if (!page.ra?.loaded) {
  document.body ? start() : document.addEventListener('DOMContentLoaded', start, { once: true });
}
