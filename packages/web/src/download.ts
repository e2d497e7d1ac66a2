/** Offers a text as a file download (the browser's save dialog or downloads folder). */
export function downloadText(fileName: string, text: string, mediaType = 'text/plain;charset=utf-8'): void {
  downloadBlob(fileName, new Blob([text], { type: mediaType }));
}

/** Offers bytes as a file download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  downloadFrom(url, fileName);
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Starts the download of an address (a same-origin file or an object URL) as a file. */
export function downloadFrom(href: string, fileName = ''): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
