// Starts the unmodified Web Chat bundle against this server's Direct Line endpoint. The page never sees a bot secret:
// it gets a short-lived token scoped to one new conversation from POST /api/widget/{bot}/token.
(async function () {
  const host = document.getElementById('webchat');
  const bot = host.dataset.bot;
  const base = location.origin + (host.dataset.base || '');
  const params = new URLSearchParams(location.search);
  try {
    const response = await fetch(base + '/api/widget/' + encodeURIComponent(bot) + '/token', { method: 'POST' });
    if (!response.ok) throw new Error('token request failed with HTTP ' + response.status);
    const { token } = await response.json();
    const directLine = window.WebChat.createDirectLine({
      token,
      domain: base + '/v3/directline',
      webSocket: params.get('transport') !== 'polling'
    });
    window.WebChat.renderWebChat({ directLine, styleOptions: { hideUploadButton: true } }, host);
  } catch (e) {
    host.textContent = 'The chat is unavailable right now. Please try again later.';
    console.error(e);
  }
})();
