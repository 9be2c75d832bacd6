// Registers Kehu's service worker (/sw.js) and, when a new build's worker is ready while this
// page runs the old one, offers "新版本可用，刷新" — the reload switches to the new worker, so
// the page never keeps running old wasm against a new server.
(function () {
  if (!("serviceWorker" in navigator)) return;
  const zh = (document.documentElement.lang || "zh").startsWith("zh");
  const text = zh ? { news: "新版本可用", reload: "刷新" } : { news: "A new version is available", reload: "Reload" };
  let asked = false;

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
        // A page left open all day still learns of a new build.
        setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
      })
      .catch((e) => console.warn("the service worker was not registered", e));
  });
})();
