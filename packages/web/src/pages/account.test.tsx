import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClientDeps } from '../api/client.js';
import { DownloadData } from './account.js';

afterEach(() => {
  cleanup();
  setClientDeps();
  vi.restoreAllMocks();
});

describe('Download my data', () => {
  it('fetches the export and saves it as a dated JSON file, saying what it holds', async () => {
    const exported = { exportedAt: '2026-11-26T10:00:00.000Z', recordings: [{}, {}], entries: { diary: [] } };
    const fetch = vi.fn(async () => new Response(JSON.stringify(exported), { status: 200 }));
    setClientDeps({ fetch });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:export';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('dystrack-export-2026-11-26.json');
    });
    render(<DownloadData />);
    fireEvent.click(screen.getByRole('button', { name: 'Download my data' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toMatch(/Saved as dystrack-export-2026-11-26\.json/),
    );
    expect(screen.getByRole('status').textContent).toMatch(/2 recording descriptions/);
    expect(fetch).toHaveBeenCalledWith('/api/v1/export', expect.anything());
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(JSON.parse(await blobs[0]!.text())).toEqual(exported);
  });

  it('says so when the server cannot be reached, and nothing is saved', async () => {
    setClientDeps({ fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) });
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    render(<DownloadData />);
    fireEvent.click(screen.getByRole('button', { name: 'Download my data' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toMatch(/^Could not download your data/),
    );
    expect(clicked).not.toHaveBeenCalled();
  });

  it('offers the FHIR, CSV and raw downloads as links, each described by who it is for', () => {
    render(<DownloadData />);
    const expected = [
      ['Download for a clinic (FHIR)', '/api/v1/export/fhir', /health record system/],
      ['Download the numbers (CSV)', '/api/v1/export/csv', /spreadsheet or statistics program/],
      ['Download all recordings (ZIP)', '/api/v1/export/raw', /researchers/],
    ] as const;
    for (const [name, href, description] of expected) {
      const link = screen.getByRole('link', { name });
      expect(link.getAttribute('href')).toBe(href);
      expect(link.hasAttribute('download')).toBe(true);
      expect(link.getAttribute('aria-describedby')).toBeTruthy();
      expect(document.getElementById(link.getAttribute('aria-describedby')!)!.textContent).toMatch(
        description,
      );
    }
  });
});
