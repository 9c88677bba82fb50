// An icon that fails to load is removed, so it leaves no empty box. Loading can fail before this
// script runs: such an image is already complete with no width.
for (const img of document.querySelectorAll<HTMLImageElement>('img[data-icon]')) {
  const drop = () => img.remove();
  if (img.complete && img.naturalWidth === 0) drop();
  else img.addEventListener('error', drop, { once: true });
}
