// Drives botframework-directlinejs (the client Web Chat embeds) against our Direct Line endpoint.
// Usage: node directline-client.mjs <domain e.g. http://127.0.0.1:5000/v3/directline> <token> <websocket|polling> <text>
// Prints one JSON line: {"status":[...], "postedId", "echo", "reply"}; exits 1 on failure or timeout.
import XMLHttpRequest from 'xhr2';
import WebSocket from 'ws';
import directline from 'botframework-directlinejs';

// directlinejs is written for browsers: give node the two globals it uses.
globalThis.XMLHttpRequest = XMLHttpRequest;
globalThis.WebSocket = WebSocket;

const [domain, token, mode, text] = process.argv.slice(2);
const client = new directline.DirectLine({ token, domain, webSocket: mode === 'websocket', pollingInterval: 200 });
const result = { mode, status: [], postedId: null, echo: null, reply: null };
const timer = setTimeout(() => finish(1, 'timed out'), 20000);

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
  if (activity.channelData && activity.channelData.clientActivityID === 'node-1') result.echo = activity.id;
  else if (activity.from && activity.from.role === 'bot' && result.postedId && activity.replyToId === result.postedId) {
    result.reply = activity.text;
    finish(result.echo ? 0 : 1, result.echo ? undefined : 'reply arrived without the echo');
  }
}, e => finish(1, 'activity stream failed: ' + e));

client.postActivity({ type: 'message', text, from: { id: 'node-user', name: 'Node' }, channelData: { clientActivityID: 'node-1' } })
  .subscribe(id => { result.postedId = id; }, e => finish(1, 'post failed: ' + e));
