// Registers Kehu's service worker (/sw.js) and, when a new build's worker is ready while this
// page runs the old one, offers "新版本可用，刷新" — the reload switches to the new worker, so
// the page never keeps running old wasm against a new server.
// Also says when the page is offline: "离线 · 更新于 10:42" on a kept copy the worker served
// (its <meta name="kehu-kept-at">), "离线" when the connection drops while reading; and asks
// the worker to keep the rep's daily lists fresh for offline reading (`warm`).
(function () {
  if (!("serviceWorker" in navigator)) return;
  const zh = (document.documentElement.lang || "zh").startsWith("zh");
  const text = zh
    ? { news: "新版本可用", reload: "刷新", offline: "离线", updated: "更新于", back: "已恢复联网" }
    : { news: "A new version is available", reload: "Reload", offline: "Offline", updated: "as of", back: "Back online" };
  const WARM = ["/today", "/customers", "/reminders"];
  const WARM_EVERY_MS = 10 * 60 * 1000;
  let asked = false;

  /** 10:42 today, or 12-03 10:42 another day, in the reader's time. */
  function when(iso) {
    const at = new Date(iso);
    if (isNaN(at)) return "";
    const hm = at.toLocaleTimeString(zh ? "zh-CN" : "en", { hour: "2-digit", minute: "2-digit", hour12: false });
    if (at.toDateString() === new Date().toDateString()) return hm;
    return `${at.toLocaleDateString(zh ? "zh-CN" : "en", { month: "2-digit", day: "2-digit" })} ${hm}`;
  }

  function keptAt() {
    const meta = document.querySelector("meta[name=kehu-kept-at]");
    return meta ? meta.getAttribute("content") : null;
  }

  /** The offline mark at the top of the page; with a reload button once the network is back. */
  function showOffline() {
    let mark = document.querySelector("[data-testid=offline-mark]");
    if (!mark) {
      mark = document.createElement("div");
      mark.className = "offline-mark";
      mark.setAttribute("role", "status");
      mark.dataset.testid = "offline-mark";
      document.body.append(mark);
    }
    const kept = keptAt();
    if (navigator.onLine && kept) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = text.reload;
      button.addEventListener("click", () => location.reload());
      mark.replaceChildren(`${text.back} · `, button);
    } else if (navigator.onLine) {
      mark.remove();
    } else {
      mark.textContent = kept ? `${text.offline} · ${text.updated} ${when(kept)}` : text.offline;
    }
  }

  window.addEventListener("offline", showOffline);
  window.addEventListener("online", showOffline);
  window.addEventListener("load", () => {
    if (keptAt() || !navigator.onLine) showOffline();
  });

  /** Asks the worker to fetch the daily lists into its kept pages, now and then. */
  function warm(registration) {
    if (!navigator.onLine || keptAt() || location.pathname === "/login" || !registration.active) return;
    const last = Number(localStorage.getItem("kehu-warmed") || 0);
    if (Date.now() - last < WARM_EVERY_MS) return;
    localStorage.setItem("kehu-warmed", String(Date.now()));
    registration.active.postMessage({ warm: WARM });
  }

  function offer(worker) {
    if (document.querySelector("[data-testid=update-banner]")) return;
    const bar = document.createElement("div");
    bar.className = "update-banner";
    bar.setAttribute("role", "status");
    bar.dataset.testid = "update-banner";
    const news = document.createElement("span");
    news.textContent = text.news;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button primary";
    button.dataset.testid = "update-reload";
    button.textContent = text.reload;
    button.addEventListener("click", () => {
      asked = true;
      worker.postMessage("skip-waiting");
    });
    bar.append(news, button);
    document.body.append(bar);
  }

  // The new worker took over because the person asked: load the page from it.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (asked) location.reload();
  });

  function watch(worker) {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  }

  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js")
      .then((registration) => {
        if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
        watch(registration.installing);
        registration.addEventListener("updatefound", () => watch(registration.installing));
        navigator.serviceWorker.ready.then(warm);
        // A page left open all day still learns of a new build.
        setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
      })
      .catch((e) => console.warn("the service worker was not registered", e));
  });
})();
