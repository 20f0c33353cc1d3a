// Keeps the agent inbox live: every few seconds it fetches the page again and swaps in the
// parts marked `data-live` (queue, status, messages). Forms are left alone, so a reply being
// typed is never lost. Served from the support desk itself (CSP script-src 'self').
(function () {
  "use strict";
  var EVERY_MS = 1500;
  var live = document.querySelectorAll("[data-live]");
  if (!live.length || !window.fetch || !window.DOMParser) {
    return;
  }
  var stopped = false;

  function stop(message) {
    stopped = true;
    var notice = document.getElementById("live-status");
    if (notice) {
      notice.textContent = message;
      notice.hidden = false;
    }
  }

  function swap(page) {
    var fresh = new DOMParser().parseFromString(page, "text/html");
    live.forEach(function (region) {
      var next = fresh.getElementById(region.id);
      if (next && next.innerHTML !== region.innerHTML) {
        region.innerHTML = next.innerHTML;
      }
    });
  }

  function refresh() {
    if (stopped || document.visibilityState === "hidden") {
      return;
    }
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      cache: "no-store",
    })
      .then(function (answer) {
        if (answer.redirected || answer.status === 401) {
          stop("Your session has ended. Reload the page to sign in again.");
          return null;
        }
        return answer.ok ? answer.text() : null;
      })
      .then(function (page) {
        if (page) {
          swap(page);
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      });
  }

  window.setInterval(refresh, EVERY_MS);
})();
