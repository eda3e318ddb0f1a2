import type { JSONObject, JSONValue } from './json.js';

/** The kinds of cell nbformat 4 knows. */
export type CellType = 'code' | 'markdown' | 'raw';

/** A MIME bundle: MIME type to content (text joined into one string, or JSON for `*json` types). */
export type MimeBundle = { [mime: string]: JSONValue };

/** A stream output (stdout or stderr). */
export interface StreamOutput {
  output_type: 'stream';
  name: string;
  text: string;
}

/** A rich display output. */
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JSONObject;
  transient?: JSONObject;
}

/** The result of a cell's last expression. */
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  data: MimeBundle;
  metadata: JSONObject;
  execution_count: number | null;
}

/** An error raised while running a cell. */
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One output of a code cell, with multi-line strings joined. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** A cell as plain JSON, with multi-line strings joined (the model's normalised form). */
export interface Cell {
  id: string;
  cell_type: CellType;
  source: string;
  metadata: JSONObject;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: { [name: string]: MimeBundle };
}

/** A notebook as plain JSON, normalised: nbformat 4, joined strings, every cell with an id. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JSONObject;
  cells: Cell[];
}
