import type { Lang } from './lang.js';

// The one way Candyce's packages speak French and English: a catalogue of
// every message in both languages, and `{name}` placeholders filled in.

/** A catalogue: every message key, in every language. */
export type Messages<K extends string> = { readonly [L in Lang]: Readonly<Record<K, string>> };

/** Values of a message's placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Fills the `{name}` placeholders of `text` from `params`. A placeholder
 * without a value stays as written, so a missing parameter shows up instead
 * of vanishing. Linear in the text's length.
 */
export const fillPlaceholders = (text: string, params?: MessageParams): string =>
  params
    ? text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        Object.hasOwn(params, name) ? String(params[name]) : whole,
      )
    : text;

/** Returns the function that gives message `key` of `messages` in `lang`, placeholders filled. */
export const messagesOf =
  <K extends string>(messages: Messages<K>) =>
  (lang: Lang, key: K, params?: MessageParams): string =>
    fillPlaceholders(messages[lang][key], params);
