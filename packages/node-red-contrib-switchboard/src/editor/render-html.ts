/**
 * Renders FormSpecs to the HTML Node-RED's editor loads for a node file: one registration
 * script, one form template and one help page per node type.
 */
import type { PropKind } from '../lib/property';
import type { Field, FormSpec } from './form-spec';

const TYPES: Record<PropKind, string[]> = {
  string: ['str', 'msg', 'flow', 'global', 'env', 'jsonata'],
  number: ['num', 'str', 'msg', 'flow', 'global', 'env', 'jsonata'],
  boolean: ['unset', 'bool', 'msg', 'flow', 'global', 'env', 'jsonata'],
  json: ['unset', 'json', 'str', 'msg', 'flow', 'global', 'env', 'jsonata'],
  objects: ['unset', 'json', 'str', 'msg', 'flow', 'global', 'env', 'jsonata'],
  list: ['str', 'json', 'msg', 'flow', 'global', 'env', 'jsonata'],
  hook: ['str', 'json', 'msg', 'flow', 'global', 'env', 'jsonata'],
};

const DEFAULT_TYPE: Record<PropKind, string> = {
  string: 'str',
  number: 'num',
  boolean: 'unset',
  json: 'json',
  objects: 'json',
  list: 'str',
  hook: 'str',
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The typed-input type a new node starts with. Optional JSON values start as "not set" (an empty
 * JSON input would show as invalid), like booleans.
 */
export function defaultTypeOf(kind: PropKind, type?: string, value?: string): string {
  if (type) return type;
  if ((kind === 'json' || kind === 'objects') && !value) return 'unset';
  return DEFAULT_TYPE[kind];
}

/** Shared editor code, defined once per page whichever file loads first. */
const EDITOR_HELPER = `
var SB = window.SWITCHBOARD_EDITOR = window.SWITCHBOARD_EDITOR || (function () {
  var UNSET = { value: 'unset', label: 'not set', hasValue: false };
  function prepare(prefix, fields, switchField) {
    fields.forEach(function (f) {
      var types = f.types.map(function (t) { return t === 'unset' ? UNSET : t; });
      $('#' + prefix + f.key).typedInput({ default: f.type, types: types, typeField: '#' + prefix + f.key + 'Type' });
    });
    if (switchField) {
      var select = $('#' + prefix + switchField);
      var toggle = function () {
        var value = select.val();
        $('.sb-when').each(function () {
          var shown = ($(this).attr('data-sb-for') || '').split(' ');
          $(this).toggle(shown.indexOf(value) >= 0);
        });
      };
      select.on('change', toggle);
      toggle();
    }
  }
  return { prepare: prepare };
})();
`;

function fieldDefaults(field: Field): Record<string, unknown> {
  switch (field.kind) {
    case 'typed':
      return {
        [field.key]: { value: field.prop.value ?? '' },
        [`${field.key}Type`]: { value: defaultTypeOf(field.prop.kind, field.prop.type, field.prop.value) },
      };
    case 'select':
      return { [field.key]: { value: field.value } };
    case 'text':
      return { [field.key]: { value: field.value ?? '', required: field.required === true } };
    case 'server':
      return { [field.key]: { value: '', type: 'switchboard-server', required: true } };
    case 'password':
      return {};
  }
}

function fieldRow(field: Field, prefix: string): string {
  const id = `${prefix}${field.key}`;
  switch (field.kind) {
    case 'typed': {
      const cls = field.showFor ? ' sb-when' : '';
      const data = field.showFor ? ` data-sb-for="${escapeHtml(field.showFor.join(' '))}"` : '';
      const label = `${escapeHtml(field.prop.label)}${field.prop.required ? ' *' : ''}`;
      return `  <div class="form-row${cls}"${data}>
    <label for="${id}" title="${escapeHtml(field.prop.help)}">${label}</label>
    <input type="text" id="${id}" style="width:70%" placeholder="${escapeHtml(field.prop.placeholder ?? '')}">
    <input type="hidden" id="${id}Type">
  </div>`;
    }
    case 'select':
      return `  <div class="form-row">
    <label for="${id}" title="${escapeHtml(field.help)}">${escapeHtml(field.label)}</label>
    <select id="${id}" style="width:70%">
${field.options.map(([v, l]) => `      <option value="${escapeHtml(v)}">${escapeHtml(l)}</option>`).join('\n')}
    </select>
  </div>`;
    case 'text':
      return `  <div class="form-row">
    <label for="${id}" title="${escapeHtml(field.help)}">${escapeHtml(field.label)}</label>
    <input type="text" id="${id}" style="width:70%" placeholder="${escapeHtml(field.placeholder ?? '')}">
  </div>`;
    case 'password':
      return `  <div class="form-row">
    <label for="${id}" title="${escapeHtml(field.help)}">${escapeHtml(field.label)}</label>
    <input type="password" id="${id}" style="width:70%">
  </div>`;
    case 'server':
      return `  <div class="form-row">
    <label for="${id}">Server</label>
    <input type="text" id="${id}">
  </div>`;
  }
}

function helpProperty(field: Field): string | null {
  switch (field.kind) {
    case 'typed': {
      const when = field.showFor ? ` Used by: ${field.showFor.join(', ')}.` : '';
      return `    <dt${field.prop.required ? '' : ' class="optional"'}>${escapeHtml(field.prop.label)} <span class="property-type">${field.prop.kind}</span></dt>
    <dd>${escapeHtml(field.prop.help)}${when} (<code>${escapeHtml(field.prop.path)}</code>)</dd>`;
    }
    case 'select':
      return `    <dt>${escapeHtml(field.label)} <span class="property-type">choice</span></dt>
    <dd>${escapeHtml(field.help)} One of: ${field.options.map(([v]) => `<code>${escapeHtml(v)}</code>`).join(', ')}.</dd>`;
    case 'text':
    case 'password':
      if (field.key === 'name') return null;
      return `    <dt${field.kind === 'text' && field.required ? '' : ' class="optional"'}>${escapeHtml(field.label)} <span class="property-type">string</span></dt>
    <dd>${escapeHtml(field.help)}</dd>`;
    case 'server':
      return `    <dt>Server <span class="property-type">config</span></dt>
    <dd>The Switchboard server (URL, account sid and API key) to talk to.</dd>`;
  }
}

function helpList(title: string, rows: Array<[string, string, string]> | undefined): string {
  if (!rows || rows.length === 0) return '';
  return `<h3>${title}</h3>
<dl class="message-properties">
${rows.map(([k, t, d]) => `    <dt>${escapeHtml(k)} <span class="property-type">${escapeHtml(t)}</span></dt>\n    <dd>${escapeHtml(d)}</dd>`).join('\n')}
</dl>`;
}

export function renderHelp(form: FormSpec): string {
  const props = form.fields.map(helpProperty).filter((s): s is string => s !== null);
  const parts = [`<p>${form.summary}</p>`];
  if (props.length) parts.push(`<h3>Properties</h3>\n<dl class="message-properties">\n${props.join('\n')}\n</dl>`);
  const inputs = helpList('Inputs', form.inputsHelp);
  const outputs = helpList('Outputs', form.outputsHelp);
  if (inputs) parts.push(inputs);
  if (outputs) parts.push(outputs);
  if (form.details?.length) parts.push(`<h3>Details</h3>\n${form.details.map((d) => `<p>${d}</p>`).join('\n')}`);
  return parts.join('\n');
}

export function renderForm(form: FormSpec): string {
  const prefix = form.config ? 'node-config-input-' : 'node-input-';
  const defaults: Record<string, unknown> = {};
  for (const f of form.fields) Object.assign(defaults, fieldDefaults(f));
  const credentials: Record<string, unknown> = {};
  for (const f of form.fields) if (f.kind === 'password') credentials[f.key] = { type: 'password' };
  const typedFields = form.fields
    .filter((f): f is Extract<Field, { kind: 'typed' }> => f.kind === 'typed')
    .map((f) => ({ key: f.key, type: defaultTypeOf(f.prop.kind, f.prop.type, f.prop.value), types: TYPES[f.prop.kind] }));
  const def: Record<string, unknown> = {
    category: form.category,
    color: form.color,
    defaults,
    inputs: form.inputs,
    outputs: form.outputs,
    icon: form.icon,
    paletteLabel: form.paletteLabel,
  };
  if (Object.keys(credentials).length) def.credentials = credentials;
  if (form.outputLabels) def.outputLabels = form.outputLabels;
  if (form.align) def.align = form.align;
  const labelExpr = form.labelField ? `this.name || this[${JSON.stringify(form.labelField)}] || ${JSON.stringify(form.paletteLabel)}` : `this.name || ${JSON.stringify(form.paletteLabel)}`;
  const typeName = escapeHtml(form.type);
  return `<script type="text/javascript">
(function () {
  var def = ${JSON.stringify(def)};
  def.label = function () { return ${labelExpr}; };
  def.oneditprepare = function () {
    window.SWITCHBOARD_EDITOR.prepare(${JSON.stringify(prefix)}, ${JSON.stringify(typedFields)}, ${JSON.stringify(form.switchField ?? null)});
  };
  RED.nodes.registerType(${JSON.stringify(form.type)}, def);
})();
</script>
<script type="text/html" data-template-name="${typeName}">
${form.fields.map((f) => fieldRow(f, prefix)).join('\n')}
</script>
<script type="text/html" data-help-name="${typeName}">
${renderHelp(form)}
</script>
`;
}

export function renderFile(forms: FormSpec[]): string {
  return `<script type="text/javascript">${EDITOR_HELPER}</script>\n${forms.map(renderForm).join('\n')}`;
}
