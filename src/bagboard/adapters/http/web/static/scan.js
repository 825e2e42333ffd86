// The libraries page: follows each library's queued or running scan by polling its JSON
// document once a second, and reloads the page when one ends so its counts are fresh.
const BUSY = new Set(["queued", "running"]);

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function describe(scan) {
  switch (scan.state) {
    case "queued":
      return "Scan waiting for another to end…";
    case "running": {
      const read = scan.to_open ? `, ${scan.opened} of ${scan.to_open} read` : "";
      return `Scanning: ${scan.phase || "starting"}, ${plural(scan.files, "file")} found${read}…`;
    }
    case "done":
      return `Scan done: ${scan.new} new, ${scan.changed} changed, ${scan.removed} removed, ${scan.unreadable} unreadable.`;
    case "failed":
      return `Scan failed: ${scan.error}`;
    default:
      return "No scan since the server started.";
  }
}

function follow(box) {
  const text = box.querySelector(".scan-state");
  const bar = box.querySelector("progress");
  const poll = async () => {
    let scan;
    try {
      const answer = await fetch(box.dataset.scan, { headers: { Accept: "application/json" } });
      if (!answer.ok) throw new Error(String(answer.status));
      scan = await answer.json();
    } catch {
      setTimeout(poll, 3000); // the server restarting, say: try again a little later
      return;
    }
    box.dataset.state = scan.state;
    text.textContent = describe(scan);
    if (BUSY.has(scan.state)) {
      bar.hidden = !scan.to_open;
      if (scan.to_open) bar.value = scan.opened / scan.to_open;
      setTimeout(poll, 1000);
    } else {
      bar.hidden = true;
      // Fresh counts; without the "scan started" notice of the address.
      if (location.search) location.replace(location.pathname);
      else location.reload();
    }
  };
  setTimeout(poll, 1000);
}

for (const box of document.querySelectorAll("[data-scan]")) {
  if (BUSY.has(box.dataset.state)) follow(box);
}
