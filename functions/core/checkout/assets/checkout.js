// The checkout page's one script, served inline under its CSP hash. The page works without it (the
// facts, the address, the QR code, the wallet link); with it, the status follows the invoice live.
(() => {
  'use strict';
  const root = document.querySelector('[data-live]');
  const panel = document.getElementById('panel');
  const announce = document.getElementById('announce');
  if (!root || !panel || !announce) return;
  const finalStates = ['settled', 'invalid'];
  // The panel's version as served: an update with the same one changes nothing on the page.
  let shown = panel.getAttribute('data-version');

  const pad = (n) => String(n).padStart(2, '0');

  // The countdown to expiry; the server says when it has expired.
  const tick = () => {
    const time = panel.querySelector('[data-countdown]');
    if (!time) return;
    const left = Math.max(0, Math.floor((Date.parse(time.getAttribute('datetime')) - Date.now()) / 1000));
    const hours = Math.floor(left / 3600);
    const minutes = Math.floor((left % 3600) / 60);
    const clock = `${hours > 0 ? `${hours}:${pad(minutes)}` : minutes}:${pad(left % 60)}`;
    time.textContent = `${time.getAttribute('data-label')} ${clock}`;
  };

  const show = (update) => {
    if (update.version === shown) return;
    shown = update.version;
    panel.innerHTML = update.html;
    announce.textContent = update.heading;
    tick();
  };

  const isFinal = (update) => finalStates.includes(update.state);

  // When the browser has no EventSource, or the stream is refused for good: a poll every 3 s.
  const poll = () => {
    fetch(root.getAttribute('data-status'), { headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : null))
      .then((update) => {
        if (update) show(update);
        if (!update || !isFinal(update)) setTimeout(poll, 3000);
      })
      .catch(() => setTimeout(poll, 3000));
  };

  if (typeof EventSource === 'function') {
    const stream = new EventSource(root.getAttribute('data-events'));
    stream.addEventListener('status', (message) => {
      const update = JSON.parse(message.data);
      show(update);
      if (isFinal(update)) stream.close();
    });
    stream.onerror = () => {
      if (stream.readyState === EventSource.CLOSED) poll();
    };
  } else {
    poll();
  }

  tick();
  setInterval(tick, 1000);

  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy]');
    if (!button || !navigator.clipboard) return;
    navigator.clipboard.writeText(button.getAttribute('data-copy')).then(() => {
      announce.textContent = button.getAttribute('data-copied');
    });
  });
})();
