export type Language = 'it' | 'en' | 'es';

/** The widget's own chrome. Replies come from the server in the shopper's language. */
export interface Texts {
  launcher: string;
  title: string;
  close: string;
  restart: string;
  conversation: string;
  placeholder: string;
  send: string;
  typing: string;
  greeting: string;
  you: string;
  assistant: string;
  addToCart: string;
  outOfStock: string;
  /** The chat message that "add to cart" sends: the model understands SKUs. */
  addMessage: (sku: string) => string;
  retry: string;
  errorNetwork: string;
  errorBusy: string;
  errorForbidden: string;
  errorGeneric: string;
  links: Record<string, string>;
  openLink: string;
}

const texts: Record<Language, Texts> = {
  en: {
    launcher: 'Chat with us',
    title: 'Chat',
    close: 'Close chat',
    restart: 'New conversation',
    conversation: 'Conversation',
    placeholder: 'Write a message…',
    send: 'Send',
    typing: 'Typing…',
    greeting: 'Hi! How can I help you today?',
    you: 'You',
    assistant: 'Assistant',
    addToCart: 'Add to cart',
    outOfStock: 'Out of stock',
    addMessage: (sku) => `add 1 ${sku} to my cart`,
    retry: 'Try again',
    errorNetwork: 'We could not reach the shop. Check your connection and try again.',
    errorBusy: 'We are a little busy right now. Please try again in a moment.',
    errorForbidden: 'Sorry, the chat is not available on this website.',
    errorGeneric: 'Something went wrong on our side. Please try again.',
    links: { register: 'Create your account', pay: 'Pay now', order: 'View your order', profile: 'Your profile' },
    openLink: 'Open',
  },
  it: {
    launcher: 'Scrivici',
    title: 'Chat',
    close: 'Chiudi la chat',
    restart: 'Nuova conversazione',
    conversation: 'Conversazione',
    placeholder: 'Scrivi un messaggio…',
    send: 'Invia',
    typing: 'Sta scrivendo…',
    greeting: 'Ciao! Come posso aiutarti?',
    you: 'Tu',
    assistant: 'Assistente',
    addToCart: 'Aggiungi al carrello',
    outOfStock: 'Esaurito',
    addMessage: (sku) => `aggiungi 1 ${sku} al carrello`,
    retry: 'Riprova',
    errorNetwork: 'Non riusciamo a raggiungere il negozio. Controlla la connessione e riprova.',
    errorBusy: 'In questo momento siamo un po’ occupati. Riprova tra poco.',
    errorForbidden: 'Spiacenti, la chat non è disponibile su questo sito.',
    errorGeneric: 'Qualcosa è andato storto da parte nostra. Riprova.',
    links: { register: 'Crea il tuo account', pay: 'Paga ora', order: 'Vedi l’ordine', profile: 'Il tuo profilo' },
    openLink: 'Apri',
  },
  es: {
    launcher: 'Chatea con nosotros',
    title: 'Chat',
    close: 'Cerrar el chat',
    restart: 'Nueva conversación',
    conversation: 'Conversación',
    placeholder: 'Escribe un mensaje…',
    send: 'Enviar',
    typing: 'Escribiendo…',
    greeting: '¡Hola! ¿En qué puedo ayudarte?',
    you: 'Tú',
    assistant: 'Asistente',
    addToCart: 'Añadir al carrito',
    outOfStock: 'Agotado',
    addMessage: (sku) => `añade 1 ${sku} al carrito`,
    retry: 'Reintentar',
    errorNetwork: 'No podemos contactar con la tienda. Comprueba tu conexión y vuelve a intentarlo.',
    errorBusy: 'Ahora mismo estamos un poco ocupados. Inténtalo de nuevo en un momento.',
    errorForbidden: 'Lo sentimos, el chat no está disponible en este sitio web.',
    errorGeneric: 'Algo ha fallado por nuestra parte. Inténtalo de nuevo.',
    links: { register: 'Crea tu cuenta', pay: 'Pagar ahora', order: 'Ver tu pedido', profile: 'Tu perfil' },
    openLink: 'Abrir',
  },
};

const supported = (tag: string | null | undefined): Language | undefined => {
  const primary = (tag ?? '').trim().slice(0, 2).toLowerCase();
  return primary === 'it' || primary === 'en' || primary === 'es' ? primary : undefined;
};

/** The page's <html lang> first (the merchant chose it), then the browser's preferences, then English. */
export function pickLanguage(): Language {
  return supported(document.documentElement.lang)
    ?? navigator.languages.map(supported).find((l) => l !== undefined)
    ?? supported(navigator.language)
    ?? 'en';
}

export const textsFor = (language: Language): Texts => texts[language];
