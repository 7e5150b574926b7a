/**
 * The KQL editor: Monaco + monaco-kusto, loaded on demand. Ctrl+Enter / Shift+Enter runs the query.
 * Until Monaco is ready (or if it cannot load) a plain textarea keeps the page usable.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { SchemaTable } from '../lib/monaco';

type MonacoModule = typeof import('../lib/monaco');
type Editor = import('monaco-editor/esm/vs/editor/editor.api').editor.IStandaloneCodeEditor;

export interface KqlEditorHandle {
  getValue(): string;
  setValue(v: string): void;
  focus(): void;
  /** Marks an error at a 1-based line/column (null clears it). */
  setError(e: { line: number; column: number; message: string } | null): void;
  insert(text: string): void;
}

export interface KqlEditorProps {
  readonly initial: string;
  readonly theme: 'light' | 'dark';
  readonly schema?: readonly SchemaTable[];
  onRun(): void;
  onChange?(v: string): void;
}

let loading: Promise<MonacoModule> | undefined;
export const loadMonaco = () => (loading ??= import('../lib/monaco'));

type Model = import('monaco-editor/esm/vs/editor/editor.api').editor.ITextModel;
/**
 * The editor's text model outlives the editor. monaco-kusto validates on a 500 ms debounce and, when the
 * answer comes back, looks the model up by URI without checking for null: disposing the model with the
 * editor (leaving the hunting page within that window) throws inside the library. One model, kept for the
 * page's lifetime and re-attached on every mount, closes that window.
 */
let sharedModel: Model | undefined;
function attachModel(m: MonacoModule, value: string): Model {
  if (!sharedModel || sharedModel.isDisposed()) sharedModel = m.monaco.editor.createModel(value, 'kusto');
  else if (sharedModel.getValue() !== value) sharedModel.setValue(value);
  return sharedModel;
}

export const KqlEditor = forwardRef<KqlEditorHandle, KqlEditorProps>(function KqlEditor({ initial, theme, schema, onRun, onChange }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const mod = useRef<MonacoModule | null>(null);
  const fallback = useRef<HTMLTextAreaElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const runRef = useRef(onRun);
  runRef.current = onRun;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const valueRef = useRef(initial);

  useEffect(() => {
    let disposed = false;
    loadMonaco().then(
      (m) => {
        if (disposed || !host.current) return;
        mod.current = m;
        const ed = m.monaco.editor.create(host.current, {
          model: attachModel(m, valueRef.current),
          theme: theme === 'dark' ? 'kusto-dark' : 'kusto-light',
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          wordWrap: 'on',
          fixedOverflowWidgets: true,
          ariaLabel: 'KQL query editor',
        });
        const attached = ed.getModel();
        if (attached) m.monaco.editor.setModelMarkers(attached, 'quarry', []);
        ed.addCommand(m.monaco.KeyMod.CtrlCmd | m.monaco.KeyCode.Enter, () => runRef.current());
        ed.addCommand(m.monaco.KeyMod.Shift | m.monaco.KeyCode.Enter, () => runRef.current());
        ed.onDidChangeModelContent(() => {
          valueRef.current = ed.getValue();
          changeRef.current?.(valueRef.current);
          const model = ed.getModel();
          if (model) m.monaco.editor.setModelMarkers(model, 'quarry', []);
        });
        editor.current = ed;
        setState('ready');
      },
      (e: unknown) => {
        console.error('monaco failed to load', e);
        if (!disposed) setState('failed');
      },
    );
    return () => {
      disposed = true;
      editor.current?.dispose();
      editor.current = null;
    };
    // The editor is created once; theme and schema are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    mod.current?.monaco.editor.setTheme(theme === 'dark' ? 'kusto-dark' : 'kusto-light');
  }, [theme, state]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (state !== 'ready' || !schema || !model || !mod.current) return;
    mod.current.setKustoSchema(model, schema).catch((e: unknown) => console.warn('kusto schema not applied', e));
  }, [schema, state]);

  useImperativeHandle(ref, () => ({
    getValue: () => (editor.current ? editor.current.getValue() : fallback.current?.value ?? valueRef.current),
    setValue: (v: string) => {
      valueRef.current = v;
      if (editor.current) editor.current.setValue(v);
      else if (fallback.current) fallback.current.value = v;
    },
    focus: () => (editor.current ? editor.current.focus() : fallback.current?.focus()),
    insert: (text: string) => {
      const ed = editor.current;
      if (!ed) return;
      const sel = ed.getSelection();
      if (sel) ed.executeEdits('quarry', [{ range: sel, text, forceMoveMarkers: true }]);
      ed.focus();
    },
    setError: (e) => {
      const ed = editor.current;
      const m = mod.current;
      const model = ed?.getModel();
      if (!ed || !m || !model) return;
      if (!e) return m.monaco.editor.setModelMarkers(model, 'quarry', []);
      const line = Math.min(Math.max(1, e.line), model.getLineCount());
      const col = Math.max(1, e.column);
      const word = model.getWordAtPosition({ lineNumber: line, column: col });
      m.monaco.editor.setModelMarkers(model, 'quarry', [{
        severity: m.monaco.MarkerSeverity.Error,
        message: e.message,
        startLineNumber: line,
        startColumn: col,
        endLineNumber: line,
        endColumn: word ? word.endColumn : col + 1,
      }]);
      ed.revealLineInCenterIfOutsideViewport(line);
      ed.setPosition({ lineNumber: line, column: col });
    },
  }), []);

  return (
    <div className="kql-editor" data-state={state} data-testid="kql-editor">
      {state !== 'ready' ? (
        <textarea
          ref={fallback}
          className="kql-fallback"
          defaultValue={initial}
          aria-label="KQL query"
          spellCheck={false}
          onChange={(e) => {
            valueRef.current = e.target.value;
            changeRef.current?.(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || e.shiftKey)) {
              e.preventDefault();
              runRef.current();
            }
          }}
        />
      ) : null}
      <div ref={host} className="monaco-host" style={{ display: state === 'ready' ? 'block' : 'none' }} />
      {state === 'failed' ? <div className="muted small">The code editor could not load; plain text editing is on.</div> : null}
    </div>
  );
});
