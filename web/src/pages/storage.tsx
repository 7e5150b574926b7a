/** Storage: containers and blobs, upload, and minting a time-limited signed (SAS) URL. */
import { useState } from 'react';
import { api, qs } from '../lib/api';
import { useApi } from '../lib/use-api';
import { canWrite, useSession } from '../lib/session';
import { copyText, fmtDate } from '../lib/format';
import { Empty, ErrorView, Loading, Page } from '../components/states';

interface Blob { name: string; size: number; contentType?: string; lastModified?: string }

export default function Storage() {
  const { me } = useSession();
  const containers = useApi<{ containers: string[] }>('/api/storage/containers');
  const [current, setCurrent] = useState<string | null>(null);
  const container = current ?? containers.data?.containers[0] ?? null;
  const blobs = useApi<{ blobs: Blob[] }>(container ? `/storage/${encodeURIComponent(container)}` : null);
  const [newName, setNewName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [validFor, setValidFor] = useState('PT8H');
  const [sas, setSas] = useState<{ blob: string; url: string; expiry?: string } | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const write = canWrite(me);
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const create = () => act(async () => {
    await api('/api/storage/containers', { body: { name: newName } });
    setCurrent(newName);
    setNewName('');
    containers.reload();
  });
  const upload = () => act(async () => {
    if (!file || !container) return;
    await api(`/storage/${encodeURIComponent(container)}/${encodeURIComponent(file.name)}`, { method: 'PUT', raw: file, contentType: file.type || 'application/octet-stream' });
    setFile(null);
    blobs.reload();
  });
  const mint = (blob: string) => act(async () => {
    const r = await api<{ url: string; expiry?: string }>(`/api/storage/sas${qs({})}`, { body: { container, blob, permissions: 'r', validFor } });
    setSas({ blob, ...r });
  });
  return (
    <Page title="Storage" subtitle="Files for externaldata: upload a CSV, mint a signed URL, read it in a hunting query.">
      {error ? <ErrorView error={error} what="Storage" /> : null}
      <div className="hunt">
        <div className="card">
          <h2>Containers</h2>
          {containers.error ? <ErrorView error={containers.error} what="Containers" /> : !containers.data ? <Loading /> : (
            <ul className="side-list">
              {containers.data.containers.map((c) => <li key={c}><button type="button" aria-current={c === container} onClick={() => setCurrent(c)} style={{ fontWeight: c === container ? 700 : 400 }}>{c}</button></li>)}
              {!containers.data.containers.length ? <li className="muted">No containers yet.</li> : null}
            </ul>
          )}
          {write ? (
            <form className="row" style={{ marginTop: 10 }} onSubmit={(e) => { e.preventDefault(); void create(); }}>
              <input placeholder="new-container" aria-label="New container name" value={newName} onChange={(e) => setNewName(e.target.value)} size={14} />
              <button type="submit" disabled={busy || !newName}>Create</button>
            </form>
          ) : null}
        </div>
        <div className="stack">
          {container ? (
            <div className="card">
              <div className="row"><h2 style={{ margin: 0 }}>{container}</h2><span className="spacer" />
                <label className="row small">SAS valid for<select value={validFor} onChange={(e) => setValidFor(e.target.value)}>{['PT1H', 'PT8H', 'P1D', 'P7D'].map((v) => <option key={v}>{v}</option>)}</select></label>
              </div>
              {write ? (
                <div className="row" style={{ margin: '10px 0' }}>
                  <input type="file" aria-label="File to upload" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
                  <button type="button" className="primary" disabled={busy || !file} onClick={() => void upload()}>Upload</button>
                </div>
              ) : null}
              {blobs.error ? <ErrorView error={blobs.error} what="Listing blobs" /> : blobs.loading && !blobs.data ? <Loading /> : !blobs.data?.blobs.length ? <Empty>The container is empty.</Empty> : (
                <table className="list">
                  <thead><tr><th>Name</th><th>Size</th><th>Type</th><th>Modified</th><th></th></tr></thead>
                  <tbody>{blobs.data.blobs.map((b) => (
                    <tr key={b.name}><td className="wrap">{b.name}</td><td>{b.size.toLocaleString('en-US')} B</td><td>{b.contentType}</td><td className="small">{fmtDate(b.lastModified)}</td>
                      <td><button type="button" disabled={busy} onClick={() => void mint(b.name)}>Get SAS URL</button></td></tr>
                  ))}</tbody>
                </table>
              )}
            </div>
          ) : null}
          {sas ? (
            <div className="card" data-testid="storage-sas">
              <h2>Signed URL for {sas.blob}</h2>
              <div className="sas">{sas.url}</div>
              <div className="row" style={{ marginTop: 8 }}><button type="button" onClick={() => void copyText(sas.url)}>Copy</button><span className="muted small">expires {fmtDate(sas.expiry)}</span></div>
            </div>
          ) : null}
        </div>
      </div>
    </Page>
  );
}
