/* /simulateur, "Enregistrer": a save whose answer is lost (worker killed, timeout, network) must not look like
   nothing happened (issue 19). Each click carries an idempotency key; it stays "pending" (session storage, so a
   reload keeps it) until the server answers for it. When the request ends without that answer (busy off for two
   ticks, e.g. a 502), or no answer came within LATE_MS, the page says the save is uncertain, re-reads the list of
   scenarios, and a new click with the same name, note and simulation re-sends the same key: the server recognises
   it and does not save twice. Callbacks: components/scenario_panel.py. */
(function () {
  var LATE_MS = 20000;
  var MESSAGE = 'Enregistrement incertain : la réponse du serveur ne nous est pas parvenue. Vérifiez la liste ' +
    'des scénarios ci-dessous ; si le vôtre n\u2019y figure pas, cliquez à nouveau sur « Enregistrer » ' +
    '(la même demande n\u2019est jamais enregistrée deux fois).';

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // available over plain HTTP too (randomUUID is not)
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    scenarios: {
      // click → the request (with its key) and the pending record; the same content as a pending save → same key
      saveClick: function (n, name, note, state, pending) {
        var nu = window.dash_clientside.no_update;
        if (!n) { return [nu, nu]; }
        var body = JSON.stringify([name || '', note || '', state || null]);
        var key = (pending && pending.key && pending.body === body) ? pending.key : newKey();
        return [{key: key, n: n}, {key: key, body: body, since: Date.now(), off: 0, shown: false}];
      },
      // the watch runs while a save is pending and not yet reported uncertain
      watchOn: function (pending) {
        return !(pending && pending.key && !pending.shown);
      },
      // the server answered for a key: that save is no longer pending, any "incertain" message goes
      saveAck: function (key, pending) {
        var nu = window.dash_clientside.no_update;
        if (!key) { return [nu, nu]; }
        return [pending && pending.key === key ? null : nu, null];
      },
      // every second while pending: busy = the save request is running (Dash's "running" flag)
      saveWatch: function (_tick, pending, ack, busy, nonce) {
        var nu = window.dash_clientside.no_update;
        if (!pending || !pending.key || pending.shown) { return [nu, nu, nu]; }
        if (ack === pending.key) { return [null, null, nu]; }
        var off = busy ? 0 : (pending.off || 0) + 1;
        if (off >= 2 || Date.now() - pending.since > LATE_MS) {
          var alert = {type: 'Div', namespace: 'dash_html_components',
                       props: {children: MESSAGE, className: 'alert alert-warning mt-2', id: 'sim-save-uncertain-text'}};
          return [alert, Object.assign({}, pending, {off: off, shown: true}), (nonce || 0) + 1];
        }
        return [nu, Object.assign({}, pending, {off: off}), nu];
      }
    }
  });
})();
