// botframework-directlinejs (the client inside Web Chat) against the host's Direct Line endpoint.
// Usage: node directline.mjs <domain, e.g. http://127.0.0.1:5000/v3/directline> <token> <websocket|polling> <text>
// Prints one JSON line {mode, status[], postedId, echoed, reply, replyEntities} and exits 0 once the bot's reply to the
// posted message arrives; exits 1 on failure or after 60 s.
import XMLHttpRequest from 'xhr2';
import WebSocket from 'ws';
import directline from 'botframework-directlinejs';

// directlinejs targets browsers: node needs these two globals.
globalThis.XMLHttpRequest = XMLHttpRequest;
globalThis.WebSocket = WebSocket;

const [domain, token, mode, text] = process.argv.slice(2);
const client = new directline.DirectLine({ token, domain, webSocket: mode === 'websocket', pollingInterval: 250 });
const result = { mode, status: [], conversationId: null, postedId: null, echoed: false, reply: null, replyEntities: 0 };
const timer = setTimeout(() => finish(1, 'timed out'), 60000);

function finish(code, error) {
  clearTimeout(timer);
  if (error) result.error = error;
  console.log(JSON.stringify(result));
  client.end();
  process.exit(code);
}

client.connectionStatus$.subscribe(s => result.status.push(s));
client.activity$.subscribe(activity => {
  if (activity.type !== 'message') return;
  result.conversationId = activity.conversation?.id ?? result.conversationId;
  if (activity.channelData?.clientActivityID === 'host-e2e-1') result.echoed = true;
  else if (activity.from?.role === 'bot' && result.postedId && activity.replyToId === result.postedId) {
    result.reply = activity.text;
    result.replyEntities = (activity.entities ?? []).length;
    finish(result.echoed ? 0 : 1, result.echoed ? undefined : 'the reply arrived but the echo of the message did not');
  }
}, e => finish(1, 'activity stream failed: ' + e));

client.postActivity({ type: 'message', text, from: { id: 'ignored-the-token-sets-it', name: 'E2E' }, channelData: { clientActivityID: 'host-e2e-1' } })
  .subscribe(id => { result.postedId = id; }, e => finish(1, 'post failed: ' + e));
