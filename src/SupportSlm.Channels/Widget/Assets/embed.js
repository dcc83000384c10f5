// One-line embed: <script src="https://HOST/widget/BOT/embed.js" async></script> adds the chat as an iframe at the
// bottom right of the page. The iframe isolates the widget's styles and scripts from the host page.
(function () {
  var script = document.currentScript;
  var src = script && script.src ? script.src.replace(/\/embed\.js(\?.*)?$/, '') : null;
  if (!src) return;
  var frame = document.createElement('iframe');
  frame.src = src;
  frame.title = 'Support chat';
  frame.setAttribute('style', 'position:fixed;right:16px;bottom:16px;width:380px;height:560px;max-height:80vh;border:1px solid #ccc;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2);background:#fff;z-index:2147483000');
  document.body.appendChild(frame);
})();
