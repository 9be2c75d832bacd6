// The phone's outbox: a follow-up written without a connection waits here (IndexedDB, so it
// survives a closed tab or a restarted phone) and is sent, in the order written, when the
// connection returns — to POST /api/outbox/follow-ups, with the key the page gave it, so a
// send whose answer was lost and is tried again never logs it twice.
//
// The page (the wasm app) tells whose session this is (`use`), adds follow-ups (`add`),
// lists and discards them; this file only keeps and sends. What the server answered decides:
// 201 sent (gone from here), 401 wait for a sign-in, 429/5xx or no network try again later,
// any other answer keeps the follow-up with the reason (an AppError, which the page shows in
// the person's language) until the person retries or discards it. Nothing is dropped
// silently. Every change is announced as a "kehu-outbox" event on window.
(function () {
  const DB = "kehu-outbox";
  const STORE = "items";
  const SEND_TO = "/api/outbox/follow-ups";
  const RETRY_MS = 30 * 1000;
  let user = null;
  let sending = null;
  let retry = null;

  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function open() {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" }).createIndex("user", "user");
    return done(request);
  }

  /** Runs `work` on the store in one transaction and resolves once it is committed. */
  async function withStore(mode, work) {
    const db = await open();
    try {
      const tx = db.transaction(STORE, mode);
      const committed = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
      const result = await done(work(tx.objectStore(STORE)));
      await committed;
      return result;
    } finally {
      db.close();
    }
  }

  async function itemsOf(who) {
    const items = await withStore("readonly", (store) => store.index("user").getAll(who));
    return items.sort((a, b) => a.seq - b.seq);
  }

  function announce(detail) {
    window.dispatchEvent(new CustomEvent("kehu-outbox", { detail: JSON.stringify(detail || {}) }));
  }

  function later() {
    if (retry) return;
    retry = setTimeout(() => {
      retry = null;
      send();
    }, RETRY_MS);
  }

  /** Sends the signed-in user's waiting follow-ups, oldest first; one run at a time. */
  function send() {
    if (!user || !navigator.onLine) return Promise.resolve();
    if (sending) return sending;
    sending = (async () => {
      for (const item of await itemsOf(user)) {
        if (item.state !== "waiting") continue;
        let answer;
        try {
          answer = await fetch(SEND_TO, {
            method: "POST",
            credentials: "same-origin",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(item.follow_up),
          });
        } catch (offline) {
          return later();
        }
        if (answer.ok) {
          const entry = await answer.json().catch(() => null);
          await withStore("readwrite", (store) => store.delete(item.key));
          announce({ sent: entry, key: item.key, customer_id: item.follow_up.customer_id });
          continue;
        }
        if (answer.status === 401 || answer.status === 429 || answer.status >= 500) {
          announce({});
          return later();
        }
        item.state = "refused";
        item.error = await answer.json().catch(() => null);
        await withStore("readwrite", (store) => store.put(item));
        announce({ refused: item.key });
      }
    })()
      .catch((e) => console.warn("the outbox could not send", e))
      .finally(() => {
        sending = null;
      });
    return sending;
  }

  let seq = 0;
  window.kehuOutbox = {
    /** A fresh key for a follow-up (random, from the browser's crypto; works on plain http too). */
    newKey() {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    },
    /** Whose follow-ups to send: the signed-in user (the page says so on every load). */
    use(who) {
      user = who || null;
      send();
    },
    /** Keeps a follow-up (a KeyedFollowUp as JSON) and sends it if the network is there. */
    async add(json) {
      const followUp = JSON.parse(json);
      const item = { key: followUp.key, user: followUp.user, seq: Date.now() * 1000 + (seq++ % 1000), follow_up: followUp, state: "waiting", error: null };
      await withStore("readwrite", (store) => store.put(item));
      announce({ queued: item.key });
      send();
    },
    /** The user's follow-ups still here, oldest first, as JSON. */
    async list(who) {
      return JSON.stringify(await itemsOf(who));
    },
    async discard(key) {
      await withStore("readwrite", (store) => store.delete(key));
      announce({ discarded: key });
    },
    async retry(key) {
      const item = await withStore("readonly", (store) => store.get(key));
      if (!item) return;
      item.state = "waiting";
      item.error = null;
      await withStore("readwrite", (store) => store.put(item));
      announce({ retried: key });
      await send();
    },
    /** Forgets everything of this user (at sign-out, after the page asked). */
    async forget(who) {
      for (const item of await itemsOf(who)) await withStore("readwrite", (store) => store.delete(item.key));
      announce({ forgotten: who });
    },
    send,
  };

  window.addEventListener("online", () => send());
})();
