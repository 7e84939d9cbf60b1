/**
 * The dashboard's login form: plain HTML that works without script, posting the session key to
 * `/api/troupe/session`, which answers with the session cookie and sends the browser to `/`.
 */
export function loginPage(options: { failed: boolean }): string {
  const error = options.failed ? '<p class="error" role="alert">That key was not accepted. Use a key the server was started with (--session-api-key or SESSION_API_KEY).</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Troupe dashboard: log in</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; background: #f5f6f8; color: #1d2330; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  form { background: #fff; padding: 2rem; border-radius: 10px; box-shadow: 0 2px 12px #0002; width: min(24rem, 90vw); }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; }
  label { display: block; margin-bottom: .4rem; }
  input { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #c5cad3; border-radius: 6px; font: inherit; }
  button { margin-top: 1rem; width: 100%; padding: .6rem; border: 0; border-radius: 6px; background: #3357d6; color: #fff; font: inherit; cursor: pointer; }
  .error { color: #b3261e; }
</style>
</head>
<body>
<form method="post" action="/api/troupe/session">
  <h1>Troupe dashboard</h1>
  ${error}
  <label for="key">Session API key</label>
  <input id="key" name="session_api_key" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Log in</button>
</form>
</body>
</html>
`;
}
