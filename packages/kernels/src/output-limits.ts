import type { MimeBundle, Output } from '@candyce/model';

/**
 * How much output one cell may hold in the shared document. Outputs are
 * shared with every collaborator and stored with the room, so a runaway
 * `while True: print(...)` must not grow them without end.
 */
export interface OutputLimits {
  /**
   * Characters (UTF-16 code units) of text that a cell's outputs keep:
   * streams, text of rich outputs, tracebacks. A longer stream keeps its
   * beginning and its end, with a marker line in place of the middle. Default
   * 1 MiB.
   */
  maxText: number;
  /** Outputs a cell keeps; later ones are counted in a final notice. Default 100. */
  maxOutputs: number;
  /** Bytes of images (decoded PNG, JPEG, GIF, WebP; SVG text) a cell keeps. Default 8 MiB. */
  maxImageBytes: number;
  /**
   * Characters that a new stream output may use even when the rest of the cell
   * used up `maxText`, so that its last lines stay visible. Default 4 KiB.
   */
  minStreamText: number;
}

/** The limits used where none are given. */
export const defaultOutputLimits: Readonly<OutputLimits> = Object.freeze({
  maxText: 1024 * 1024,
  maxOutputs: 100,
  maxImageBytes: 8 * 1024 * 1024,
  minStreamText: 4 * 1024,
});

/** Returns complete limits from partial ones; throws a `RangeError` naming a bad value. */
export const resolveLimits = (limits: Partial<OutputLimits> = {}): OutputLimits => {
  const out = { ...defaultOutputLimits, ...limits };
  for (const [key, value] of Object.entries(out)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`Output limit ${key} is ${value}; it must be a positive integer`);
  }
  return out;
};

// Base64 images count by the bytes they decode to; SVG by its text.
const base64Images = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/** The text and image sizes of a MIME bundle. */
export interface BundleSize {
  text: number;
  images: number;
}

/** Returns how much text and how many image bytes a MIME bundle holds. */
export const bundleSize = (data: MimeBundle): BundleSize => {
  let text = 0;
  let images = 0;
  for (const [mime, value] of Object.entries(data)) {
    const length = typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
    if (base64Images.has(mime)) images += Math.floor((length * 3) / 4);
    else if (mime.startsWith('image/')) images += length;
    else text += length;
  }
  return { text, images };
};

/** Returns how much text and how many image bytes an output holds. */
export const outputSize = (output: Output): BundleSize => {
  switch (output.output_type) {
    case 'stream':
      return { text: output.text.length, images: 0 };
    case 'error':
      return {
        text: output.ename.length + output.evalue.length + output.traceback.reduce((n, l) => n + l.length, 0),
        images: 0,
      };
    default:
      return bundleSize(output.data);
  }
};
