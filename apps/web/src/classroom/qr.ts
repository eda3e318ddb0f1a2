// The QR code of the join link, drawn as one SVG path. The encoder
// (qrcode-generator) is imported on demand: only the dashboard needs it, and
// the notebook page's start budget does not pay for it.

/** A QR code as its modules: `size` × `size`, `dark(row, col)`. */
export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

/**
 * Returns the SVG path data that draws the dark modules of `qr`, one unit
 * per module, shifted by `margin` units (the quiet zone), merging each run
 * of dark modules of a row into one rectangle.
 */
export const qrPath = (qr: QrMatrix, margin = 4): string => {
  const parts: string[] = [];
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.dark(row, col)) col++;
      parts.push(`M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join('');
};

/** Encodes `text` as a QR code (error correction M), loading the encoder on first use. */
export const encodeQr = async (text: string): Promise<QrMatrix> => {
  const { default: qrcode } = await import('qrcode-generator');
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  return { size: qr.getModuleCount(), dark: (row, col) => qr.isDark(row, col) };
};
