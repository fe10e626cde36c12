import 'monaco-editor/esm/vs/editor/editor.all.js'; // the editor's features (suggest, hover, find, …); editor.api alone has none
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import { getKustoWorker } from '@kusto/monaco-kusto/release/esm/monaco.contribution';
import type { EngineSchema } from '@kusto/monaco-kusto/release/esm/languageServiceManager/schema';

/** A table of the emulator's schema, as the inspector API lists it. */
export interface SchemaTable { name: string; columns: { name: string; type: string }[] }

// Monaco runs its language services in web workers, bundled next to app.js (same origin, no CDN).
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorkerUrl: (_moduleId: string, label: string) => (label === 'kusto' ? 'kusto.worker.js' : 'editor.worker.js'),
};

const CLR_TYPES: Record<string, string> = {
  string: 'System.String', datetime: 'System.DateTime', long: 'System.Int64', int: 'System.Int32', real: 'System.Double',
  bool: 'System.Boolean', dynamic: 'System.Object', timespan: 'System.TimeSpan', guid: 'System.Guid', decimal: 'System.Data.SqlTypes.SqlDecimal',
};

/** The emulator's tables as a Kusto engine schema, for completion and diagnostics. */
function toKustoSchema(tables: readonly SchemaTable[]): EngineSchema {
  const database = {
    name: 'ApplicationInsights',
    tables: tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: CLR_TYPES[c.type] ?? 'System.String' })) })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  return { clusterType: 'Engine', cluster: { connectionString: 'Data Source=http://emulator', databases: [database] }, database };
}

/** The KQL editor: Monaco with Microsoft's Kusto language service, completing from the emulator's schema. */
export interface KqlEditor {
  getValue(): string;
  /** Resolves once the Kusto worker has the schema (completion knows the tables). */
  readonly ready: Promise<void>;
}

/** Creates the editor in `container`, running `onRun` on Ctrl/Cmd+Enter. */
export function createKqlEditor(container: HTMLElement, initial: string, tables: readonly SchemaTable[], onRun: () => void): KqlEditor {
  const editor = monaco.editor.create(container, {
    value: initial,
    language: 'kusto',
    theme: 'kusto-light',
    minimap: { enabled: false },
    automaticLayout: true,
    fontSize: 13,
    scrollBeyondLastLine: false,
    suggest: { showWords: false },
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, onRun);
  const model = editor.getModel();
  const ready = (async () => {
    if (!model) return;
    const accessor = await getKustoWorker();
    const worker = await accessor(model.uri);
    await worker.setSchema(toKustoSchema(tables));
  })();
  return { getValue: () => editor.getValue(), ready };
}
