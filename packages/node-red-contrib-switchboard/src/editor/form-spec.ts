/**
 * What the editor shows for each node: fields (typed inputs, selects, plain text, the server
 * config node) and help. Rendered to HTML at build time by render-html.ts.
 */
import type { PropSpec } from '../lib/verb-table';

export type Field =
  | { kind: 'typed'; key: string; prop: PropSpec; showFor?: string[] }
  | { kind: 'select'; key: string; label: string; help: string; value: string; options: Array<[string, string]> }
  | { kind: 'text'; key: string; label: string; help: string; value?: string; required?: boolean; placeholder?: string }
  | { kind: 'password'; key: string; label: string; help: string }
  | { kind: 'server'; key: string };

export interface FormSpec {
  type: string;
  paletteLabel: string;
  category: string;
  color: string;
  icon: string;
  inputs: 0 | 1;
  outputs: number;
  outputLabels?: string[];
  /** A config node (credentials live in `credentials` fields). */
  config?: boolean;
  align?: 'left' | 'right';
  fields: Field[];
  /** Field whose value (if set) labels the node in the flow. */
  labelField?: string;
  summary: string;
  details?: string[];
  inputsHelp?: Array<[string, string, string]>;
  outputsHelp?: Array<[string, string, string]>;
  /** Field key that drives `showFor` visibility. */
  switchField?: string;
}
