// bagboard's reader: one page or a two-page spread at a time, turned with the keyboard,
// a click or tap on either side, or a swipe. The position is saved as the pages turn.

const root = document.getElementById("reader");
const stage = document.getElementById("stage");
const left = document.getElementById("left");
const right = document.getElementById("right");
const counter = document.getElementById("count");
const scrub = document.getElementById("scrub");
const fitSelect = document.getElementById("fit");
const spreadSelect = document.getElementById("spread");
const rtlBox = document.getElementById("rtl");
const config = JSON.parse(document.getElementById("reader-config").textContent);
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const total = config.pages.length;
const PRELOAD = 3;
const SAVE_DELAY = 400;
const SWIPE = 40;

const prefs = {
  // A whole page on a landscape screen, the full width on a phone held upright.
  fit: localStorage.getItem("bagboard.fit") || (innerWidth > innerHeight ? "height" : "width"),
  spread: localStorage.getItem("bagboard.spread") || "single",
};
const rtlKey = `bagboard.rtl.${config.id}`;
let rtl = localStorage.getItem(rtlKey) === null ? config.rtl : localStorage.getItem(rtlKey) === "1";
let views = [];
let current = 0; // index into views
let saveTimer = null;
let savedPage = config.start;
const preloaded = new Map();

function imageUrl(number) {
  return config.images + number;
}

function wide(number) {
  const [width, height] = config.pages[number - 1] || [0, 0];
  return width > height;
}

// The spreads of the whole book: the cover alone, then pairs; a wide page stands alone.
function layout() {
  const result = [];
  let page = 1;
  while (page <= total) {
    const pair = prefs.spread === "double" && page > 1 && !wide(page)
      && page + 1 <= total && !wide(page + 1);
    result.push(pair ? [page, page + 1] : [page]);
    page += pair ? 2 : 1;
  }
  return result;
}

function viewOf(page) {
  const found = views.findIndex((view) => view.includes(page));
  return found < 0 ? 0 : found;
}

function preload(from) {
  for (let page = from; page < from + PRELOAD && page <= total; page += 1) {
    if (!preloaded.has(page)) {
      const image = new Image();
      image.src = imageUrl(page);
      preloaded.set(page, image);
    }
  }
}

function show() {
  if (total === 0) {
    counter.textContent = "No pages";
    return;
  }
  const view = views[current];
  left.src = imageUrl(view[0]);
  left.alt = `Page ${view[0]}`;
  if (view.length > 1) {
    right.src = imageUrl(view[1]);
    right.alt = `Page ${view[1]}`;
    right.hidden = false;
  } else {
    right.hidden = true;
    right.removeAttribute("src");
  }
  root.classList.toggle("two", view.length > 1);
  root.dataset.page = String(view[0]);
  root.dataset.dir = rtl ? "rtl" : "ltr";
  root.dataset.fit = prefs.fit;
  counter.textContent = view.length > 1
    ? `${view[0]}–${view[1]} / ${total}`
    : `${view[0]} / ${total}`;
  scrub.value = String(view[0]);
  stage.scrollTo(0, 0);
  preload(view[view.length - 1] + 1);
}

function save() {
  const view = views[current];
  const last = view[view.length - 1] === total;
  const page = last ? total : view[0];
  if (page === savedPage && !last) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => send(page, last), SAVE_DELAY);
}

function send(page, read, keepalive = false) {
  saveTimer = null;
  return fetch(config.progress, {
    method: "PUT",
    credentials: "same-origin",
    keepalive,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ page, read }),
  }).then((answer) => {
    if (answer.ok) {
      savedPage = page;
      root.dataset.saved = String(page);
    } else if (answer.status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    }
  }).catch(() => {
    // Offline for a moment: the next turn saves again.
  });
}

function go(index) {
  const clamped = Math.max(0, Math.min(views.length - 1, index));
  if (clamped === current) return;
  current = clamped;
  show();
  save();
}

const forward = () => go(current + 1);
const back = () => go(current - 1);
const toward = (side) => ((side === "left") !== rtl ? back() : forward());

function onKey(event) {
  if (event.target instanceof HTMLSelectElement || event.target instanceof HTMLInputElement) {
    if (event.target !== scrub) return;
  }
  const actions = {
    ArrowRight: () => toward("right"),
    ArrowLeft: () => toward("left"),
    PageDown: forward,
    PageUp: back,
    Home: () => go(0),
    End: () => go(views.length - 1),
    " ": () => (event.shiftKey ? back() : forward()),
    Escape: () => window.location.assign(config.back),
  };
  const action = actions[event.key];
  if (action && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    action();
  }
}

function onClick(event) {
  const box = stage.getBoundingClientRect();
  const x = (event.clientX - box.left) / box.width;
  if (x < 1 / 3) toward("left");
  else if (x > 2 / 3) toward("right");
  else root.classList.toggle("hide-bar");
}

let touchStart = null;
function onTouchStart(event) {
  if (event.touches.length === 1) {
    touchStart = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }
}
function onTouchEnd(event) {
  if (!touchStart || event.changedTouches.length !== 1) return;
  const dx = event.changedTouches[0].clientX - touchStart.x;
  const dy = event.changedTouches[0].clientY - touchStart.y;
  touchStart = null;
  if (Math.abs(dx) > SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) {
    // Swiping to the left brings the page on the right into view.
    toward(dx < 0 ? "right" : "left");
    event.preventDefault();
  }
}

function relayout() {
  const page = views.length ? views[current][0] : config.start;
  views = layout();
  current = viewOf(page);
  show();
}

function start() {
  fitSelect.value = prefs.fit;
  spreadSelect.value = prefs.spread;
  rtlBox.checked = rtl;
  scrub.max = String(Math.max(total, 1));
  document.getElementById("back").href = config.back;
  views = layout();
  current = viewOf(config.start);
  show();

  fitSelect.addEventListener("change", () => {
    prefs.fit = fitSelect.value;
    localStorage.setItem("bagboard.fit", prefs.fit);
    show();
  });
  spreadSelect.addEventListener("change", () => {
    prefs.spread = spreadSelect.value;
    localStorage.setItem("bagboard.spread", prefs.spread);
    relayout();
  });
  rtlBox.addEventListener("change", () => {
    rtl = rtlBox.checked;
    localStorage.setItem(rtlKey, rtl ? "1" : "0");
    show();
  });
  scrub.addEventListener("change", () => go(viewOf(Number(scrub.value))));
  document.addEventListener("keydown", onKey);
  stage.addEventListener("click", onClick);
  stage.addEventListener("touchstart", onTouchStart, { passive: true });
  stage.addEventListener("touchend", onTouchEnd);
  window.addEventListener("pagehide", () => {
    if (saveTimer !== null) {
      clearTimeout(saveTimer);
      const view = views[current];
      const last = view[view.length - 1] === total;
      send(last ? total : view[0], last, true);
    }
  });
  stage.focus();
}

start();
