import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api.ts';
import { thaiError } from '../../messages.ts';

/**
 * What every console section does first: load from the API, show a Thai error if that fails, and
 * reload after a change. `reload` resolves once the new data is in, so a form can reset after it.
 */
export const useLoaded = <T>(load: () => Promise<T>, deps: readonly unknown[] = []) => {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = async () => {
    try {
      setData(await load());
      setError('');
    } catch (failure) {
      setError(thaiError(failure));
    }
  };
  useEffect(() => {
    void reload();
  }, deps);
  return { data, error, reload };
};

/**
 * Downloads a file the API serves behind the bearer token (a plain link cannot send the header):
 * fetched, then handed to the browser as a same-origin blob under the file name given.
 */
export const downloadFile = async (path: string, token: string, fileName: string): Promise<void> => {
  let response: Response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (!response.ok) throw new ApiError(response.status, 'http_error', response.statusText);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
