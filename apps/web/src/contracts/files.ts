import { ApiProblem, session } from '../api/client';

/**
 * Fetches a file the API serves only to a signed-in user (a certificate, a piece of evidence) with
 * the bearer token, and hands it to the browser as a download under `fileName`.
 */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const token = session.token();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiProblem(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
